// Meeting mode: the weekly pipeline meeting on a shared screen. Full screen
// (no app navigation), one screen at a time, driven from the keyboard.
import type { Metadata } from "next";
import { canRunReview } from "@/components/reviews/not-reviewed-yet";
import { MeetingChangesBlock, MeetingRepChanges } from "@/components/changes/meeting-changes";
import { MeetingDeck } from "@/components/meeting/meeting-deck";
import { getViewer } from "@/lib/auth/viewer";
import { getMeetingChangesWindow, getWhatChanged } from "@/lib/changes/data";
import { formatDate } from "@/lib/format";
import { getMeetingAgenda, getMeetingDecisions } from "@/lib/meeting/data";
import { buildMeetingScreens } from "@/lib/meeting/screens";
import { addUtcDays } from "@/lib/meeting/waiver-dates";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Meeting mode" };

/** Default length of a "keep" waiver decided in the meeting. */
const DEFAULT_KEEP_DAYS = 14;

export default async function MeetingPage() {
  const [viewer, org] = await Promise.all([getViewer(), getOrgContext()]);
  const agenda = await getMeetingAgenda(viewer, org.asOf);
  const decisions = agenda.review ? await getMeetingDecisions(viewer, agenda.review.id) : [];
  // Since the previous meeting's review (lib/changes/window.ts says which), else the last 7 days.
  const changesWindow = await getMeetingChangesWindow(viewer, org.asOf, agenda.review?.id ?? null);
  const changes = await getWhatChanged(viewer, changesWindow);
  const sinceMeeting = changesWindow.previousMeeting !== null;
  const teams = [...new Set(agenda.reps.map((rep) => rep.teamName).filter(Boolean))];
  const scope =
    viewer.role === "admin"
      ? "All teams"
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
