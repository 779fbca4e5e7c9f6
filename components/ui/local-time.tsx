"use client";
// An instant shown in the viewer's own time zone (the browser's), with the
// zone named: "Dec 5, 2026 · 10:10 AM EST". The server does not know the
// viewer's zone, so its render (and the first paint) says UTC; the browser
// then renders the same instant in its zone.
import { useSyncExternalStore } from "react";
import { formatDayInZone, formatTimeOfDay } from "@/lib/format";

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverZone = () => "UTC";

export function useViewerTimeZone(): string {
  return useSyncExternalStore(noSubscription, browserZone, serverZone);
}

/** The day, and the time on a second line, in the viewer's zone. */
export function LocalDayAndTime({ at, timeClassName }: { at: Date | string; timeClassName?: string }) {
  const zone = useViewerTimeZone();
  const instant = typeof at === "string" ? new Date(at) : at;
  return (
    <time dateTime={instant.toISOString()} data-time-zone={zone}>
      {formatDayInZone(instant, zone)}
      <span className={timeClassName ?? "block text-xs text-slate-600"}>{formatTimeOfDay(instant, zone)}</span>
    </time>
  );
}
