// Meeting mode: the weekly pipeline meeting on a shared screen. Full screen
// (no app navigation), one screen at a time, driven from the keyboard.
//
// A meeting is one team's: an admin chooses the team first (?team=…), a
// manager goes straight to their own, a rep sees their own pipeline. The
// agenda brings the first reps' deals; the deck loads the rest as it goes.
import type { Metadata } from "next";
import { canRunReview } from "@/components/reviews/not-reviewed-yet";
import { MeetingChangesBlock, MeetingRepChanges } from "@/components/changes/meeting-changes";
import { MeetingDeck } from "@/components/meeting/meeting-deck";
import { TeamChooser } from "@/components/meeting/team-chooser";
import { getViewer } from "@/lib/auth/viewer";
import { getMeetingChangesWindow, getWhatChanged } from "@/lib/changes/data";
import { formatDate } from "@/lib/format";
import { getMeetingAgenda, getMeetingDecisions, listMeetingTeams, MEETING_REPS_LOADED_AHEAD } from "@/lib/meeting/data";
import { buildMeetingScreens } from "@/lib/meeting/screens";
import { addUtcDays } from "@/lib/meeting/waiver-dates";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Meeting mode" };

/** Default length of a "keep" waiver decided in the meeting. */
const DEFAULT_KEEP_DAYS = 14;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MeetingPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getOrgContext(), searchParams]);
  const asked = typeof params.team === "string" ? params.team : null;

  // An admin chooses the team; a manager's and a rep's scope is their own already.
  let teamId: string | undefined;
  let teamName: string | null = null;
  if (viewer.role === "admin") {
    const choices = await listMeetingTeams(viewer);
    const chosen = choices.teams.find((team) => team.teamId === asked);
    if (!chosen) return <TeamChooser {...choices} notFound={asked !== null} />;
    teamId = chosen.teamId;
    teamName = chosen.name;
  }

  const agenda = await getMeetingAgenda(viewer, org.asOf, undefined, {
    teamId,
    loadDealsOfFirstReps: MEETING_REPS_LOADED_AHEAD,
  });
  const decisions = agenda.review ? await getMeetingDecisions(viewer, agenda.review, { teamId }) : [];
  // Since the previous meeting's review (lib/changes/window.ts says which), else the last 7 days.
  const changesWindow = await getMeetingChangesWindow(viewer, org.asOf, agenda.review?.id ?? null);
  const changes = await getWhatChanged(viewer, { ...changesWindow, teamId });
  const sinceMeeting = changesWindow.previousMeeting !== null;
  const teams = [...new Set(agenda.reps.map((rep) => rep.teamName).filter(Boolean))];
  const scope = teamName
    ? `${teamName} team`
    : teams.length === 1
      ? `${teams[0]} team`
      : viewer.role === "rep"
        ? viewer.name
        : "Your team";
  const screens = buildMeetingScreens(agenda, decisions, { currency: org.currency, scopeName: scope });
  const { maxKeepWaiverDays } = parseRuleSettings(org.rules);
  return (
    <MeetingDeck
      screens={screens}
      context={{
        orgName: org.name,
        scope,
        asOf: formatDate(org.asOf),
        viewerName: viewer.name,
        currency: org.currency,
        reviewId: agenda.review?.id ?? null,
        canKeep: viewer.role !== "rep",
        canRunReview: canRunReview(viewer),
        leaveHref: viewer.role === "admin" ? "/meeting" : "/",
        changes: {
          summary: <MeetingChangesBlock changes={changes} currency={org.currency} sinceMeeting={sinceMeeting} />,
          byRep: Object.fromEntries(
            agenda.reps.map((rep) => [
              rep.repId,
              <MeetingRepChanges
                key={rep.repId}
                changes={changes}
                repId={rep.repId}
                currency={org.currency}
                sinceMeeting={sinceMeeting}
              />,
            ]),
          ),
        },
        waiver: {
          min: addUtcDays(org.asOf, 0),
          max: addUtcDays(org.asOf, maxKeepWaiverDays),
          defaultUntil: addUtcDays(org.asOf, Math.min(DEFAULT_KEEP_DAYS, maxKeepWaiverDays)),
          maxDays: maxKeepWaiverDays,
        },
      }}
    />
  );
}
