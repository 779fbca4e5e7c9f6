// Everything /meeting reads before it renders, in one place: the page renders
// it, and the bench (scripts/bench/meeting.ts) times exactly this — what an
// admin opening a team's meeting waits for, not a subset of it.
//
// An admin names the team (?team=…): only that team is read, never the
// organisation (the chooser's sizes of every team are read only when no team,
// or an unknown one, is asked for). A manager's and a rep's scope is their own.
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { getMeetingChangesWindow, getWhatChanged, type WhatChanged } from "@/lib/changes/data";
import { type DbClient, db } from "@/lib/db";
import { prismaQuery } from "@/lib/db/bulk-sql";
import type { OrgContext } from "@/lib/org/data";
import { thresholdsForTeam } from "@/lib/org/team-thresholds";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getMeetingAgenda, getMeetingDecisions, listMeetingTeams, MEETING_REPS_LOADED_AHEAD } from "./data";
import { buildMeetingScreens, type MeetingScreen } from "./screens";
import type { MeetingAgenda } from "./types";

export type MeetingPageData =
  | { kind: "choose-team"; choices: Awaited<ReturnType<typeof listMeetingTeams>>; notFound: boolean }
  | {
      kind: "meeting";
      /** "Central team", a rep's own name, or "Your team". */
      scope: string;
      agenda: MeetingAgenda;
      screens: MeetingScreen[];
      changes: WhatChanged;
      /** The changes run since the previous meeting's review (else: the last 7 days). */
      sinceMeeting: boolean;
      /** The longest "keep" waiver the meeting's team may grant (its own setting, else the organisation's). */
      maxKeepWaiverDays: number;
    };

/** The team an admin asked for, or null when there is no such team. */
async function findTeam(teamId: string, client: DbClient): Promise<{ id: string; name: string } | null> {
  return client.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
}

export async function getMeetingPageData(
  viewer: Viewer,
  org: Pick<OrgContext, "asOf" | "currency" | "rules">,
  askedTeamId: string | null,
  client: DbClient = db,
): Promise<MeetingPageData> {
  let teamId: string | undefined;
  let teamName: string | null = null;
  if (viewer.role === "admin") {
    const chosen = askedTeamId ? await findTeam(askedTeamId, client) : null;
    if (!chosen) {
      return { kind: "choose-team", choices: await listMeetingTeams(viewer, client), notFound: askedTeamId !== null };
    }
    teamId = chosen.id;
    teamName = chosen.name;
  }

  const agenda = await getMeetingAgenda(viewer, org.asOf, client, {
    teamId,
    loadDealsOfFirstReps: MEETING_REPS_LOADED_AHEAD,
  });
  const decisions = agenda.review ? await getMeetingDecisions(viewer, agenda.review, { teamId }, client) : [];
  // Since the previous meeting's review (lib/changes/window.ts says which), else the last 7 days.
  const changesWindow = await getMeetingChangesWindow(viewer, org.asOf, agenda.review?.id ?? null, client);
  const changes = await getWhatChanged(viewer, { ...changesWindow, teamId }, client);
  const teams = [...new Set(agenda.reps.map((rep) => rep.teamName).filter(Boolean))];
  const scope = teamName
    ? `${teamName} team`
    : teams.length === 1
      ? `${teams[0]} team`
      : viewer.role === "rep"
        ? viewer.name
        : "Your team";
  const screens = buildMeetingScreens(agenda, decisions, { currency: org.currency, scopeName: scope });
  // The deck's date picker offers what the keep action will accept for this team's deals.
  const { values: thresholds } = await thresholdsForTeam(
    prismaQuery(client),
    teamId ?? viewer.teamId,
    parseRuleSettings(org.rules),
  );
  return {
    kind: "meeting",
    scope,
    agenda,
    screens,
    changes,
    sinceMeeting: changesWindow.previousMeeting !== null,
    maxKeepWaiverDays: thresholds.maxKeepWaiverDays,
  };
}
