// What changed since the last meeting, sized for the shared screen: the
// summary's first block (the scope's open pipeline then and now, and what
// moved it) and one line on each rep's screen. Rendered on the server and
// handed to the meeting deck as ready-made blocks.
import type { WhatChanged } from "@/lib/changes/data";
import { formatDate } from "@/lib/format";
import { RepChangeLine } from "./rep-change-line";
import { changeLineParts, openPipelineSentence } from "./wording";
import Link from "next/link";
import { changesHref } from "@/lib/changes/window";

export function meetingWindowTitle(changes: WhatChanged, sinceMeeting: boolean): string {
  const dates = `${formatDate(changes.from)} → ${formatDate(changes.to)}`;
  return sinceMeeting ? `Since the last meeting (${dates})` : `Since last week (${dates})`;
}

export function MeetingChangesBlock({
  changes,
  currency,
  sinceMeeting,
}: {
  changes: WhatChanged;
  currency: string;
  sinceMeeting: boolean;
}) {
  const { total, from, to } = changes;
  const parts = changeLineParts(total, currency);
  return (
    <section
      aria-labelledby="meeting-changes-title"
      className="rounded-lg border-2 border-slate-900 px-4 py-2"
      data-testid="meeting-changes"
    >
      <h2 id="meeting-changes-title" className="text-xl font-bold">
        {meetingWindowTitle(changes, sinceMeeting)}
      </h2>
      <p className="text-lg">
        {openPipelineSentence(total, currency)}
        {parts.length ? ": " : " — nothing changed."}
        {parts.map((part, index) => (
          <span key={part.kind}>
            {index > 0 ? " · " : null}
            <Link href={changesHref({ movement: part.kind, from, to })} className="underline underline-offset-2">
              {part.text}
            </Link>
          </span>
        ))}
      </p>
    </section>
  );
}

export function MeetingRepChanges({
  changes,
  repId,
  currency,
  sinceMeeting,
}: {
  changes: WhatChanged;
  repId: string;
  currency: string;
  sinceMeeting: boolean;
}) {
  const rep = changes.reps.find((row) => row.repId === repId);
  if (!rep) return null;
  return (
    <p className="text-lg leading-7" data-testid="meeting-rep-changes">
      <strong>{sinceMeeting ? "Since the last meeting" : "Since last week"}:</strong>{" "}
      <RepChangeLine changes={rep.changes} currency={currency} window={changes} repId={repId} />
    </p>
  );
}
