// Meeting mode: the weekly pipeline meeting on a shared screen. Full screen
// (no app navigation), one screen at a time, driven from the keyboard.
//
// A meeting is one team's: an admin chooses the team first (?team=…), a
// manager goes straight to their own, a rep sees their own pipeline. The
// agenda brings the first reps' deals; the deck loads the rest as it goes.
// What it reads: lib/meeting/page-data.ts (the bench times the same).
import type { Metadata } from "next";
import { canRunReview } from "@/components/reviews/not-reviewed-yet";
import { MeetingChangesBlock, MeetingRepChanges } from "@/components/changes/meeting-changes";
import { MeetingDeck } from "@/components/meeting/meeting-deck";
import { TeamChooser } from "@/components/meeting/team-chooser";
import { getViewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/format";
import { getMeetingPageData } from "@/lib/meeting/page-data";
import { addUtcDays } from "@/lib/meeting/waiver-dates";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Meeting mode" };

/** Default length of a "keep" waiver decided in the meeting. */
const DEFAULT_KEEP_DAYS = 14;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MeetingPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getOrgContext(), searchParams]);
  const asked = typeof params.team === "string" ? params.team : null;
  const data = await getMeetingPageData(viewer, org, asked);
  if (data.kind === "choose-team") return <TeamChooser {...data.choices} notFound={data.notFound} />;
  const { agenda, changes, scope, screens, sinceMeeting, maxKeepWaiverDays } = data;
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
