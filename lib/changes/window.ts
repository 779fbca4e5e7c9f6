// Which two instants "what changed" compares, and how a window travels in a
// link (/changes?from=…&to=…). Pure: the as-of instant is passed in.
//
// Default: the 7 × 24 hours ending at the as-of instant (the organisation's
// fixed date when set, else now). Meeting mode: since the previous meeting —
// the as-of instant of the latest earlier review of the meeting's scope in
// which decisions were recorded (meeting mode records every decision against
// the current review, so "a review with decisions" is "a meeting was held
// on it"); without one, the same 7 days.
import { MS_PER_DAY } from "@/lib/rules/days";
import { type ChangeWindow, MOVEMENTS, type MovementKind } from "./movements";

export const DEFAULT_WINDOW_DAYS = 7;

export function lastWeek(asOf: Date): ChangeWindow {
  return { from: new Date(asOf.getTime() - DEFAULT_WINDOW_DAYS * MS_PER_DAY), to: asOf };
}

/** Since the previous meeting's review (its as-of instant) when there is one before `asOf`, else the last 7 days. */
export function sinceLastMeeting(asOf: Date, previousMeetingAsOf: Date | null): ChangeWindow {
  if (previousMeetingAsOf && previousMeetingAsOf.getTime() < asOf.getTime())
    return { from: previousMeetingAsOf, to: asOf };
  return lastWeek(asOf);
}

export interface ChangesQuery extends ChangeWindow {
  movement: MovementKind | null;
  teamId: string | null;
  repId: string | null;
}

/**
 * An instant as short as it reads back exactly: "2026-11-28" at midnight UTC,
 * no ".000" when there are no milliseconds. The overview carries ~90 of these
 * links, so every character counts twice (HTML and React's payload).
 */
function compactInstant(instant: Date): string {
  const iso = instant.toISOString();
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * The link to the deals behind one number. A window of exactly 7 days carries
 * only its end ("to"): a link without "from" means the 7 days ending at "to".
 * Colons stay as they are (allowed in a query string), not "%3A".
 */
export function changesHref(query: {
  movement?: MovementKind | null;
  from: Date;
  to: Date;
  teamId?: string | null;
  repId?: string | null;
}): string {
  const params: string[] = [];
  const put = (name: string, value: string) =>
    params.push(`${name}=${encodeURIComponent(value).replaceAll("%3A", ":")}`);
  if (query.movement) put("movement", query.movement);
  if (query.to.getTime() - query.from.getTime() !== DEFAULT_WINDOW_DAYS * MS_PER_DAY)
    put("from", compactInstant(query.from));
  put("to", compactInstant(query.to));
  if (query.teamId) put("team", query.teamId);
  if (query.repId) put("rep", query.repId);
  return `/changes?${params.join("&")}`;
}

type SearchParams = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Reads /changes's query string. A missing window is last week's; a window
 * that cannot be read is an error message saying what to fix, never a
 * silently different window.
 */
export function parseChangesQuery(
  params: SearchParams,
  asOf: Date,
): { ok: true; query: ChangesQuery } | { ok: false; message: string } {
  const readInstant = (value: string | undefined, fallback: Date) => {
    if (value === undefined || value === "") return fallback;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  };
  const fromText = single(params.from);
  const toText = single(params.to);
  const to = readInstant(toText, asOf);
  // Without "from", the 7 days ending at "to" (the links write 7-day windows so).
  const from = readInstant(fromText, lastWeek(to ?? asOf).from);
  if (!from)
    return { ok: false, message: `"${fromText}" is not a date: give "from" as 2026-11-28 or 2026-11-28T06:00:00Z.` };
  if (!to) return { ok: false, message: `"${toText}" is not a date: give "to" as 2026-12-05 or 2026-12-05T06:00:00Z.` };
  if (from.getTime() >= to.getTime())
    return { ok: false, message: `"from" (${from.toISOString()}) must be before "to" (${to.toISOString()}).` };
  const movementText = single(params.movement);
  let movement: MovementKind | null = null;
  if (movementText) {
    if (!(MOVEMENTS as readonly string[]).includes(movementText))
      return { ok: false, message: `"${movementText}" is not a movement; use one of: ${MOVEMENTS.join(", ")}.` };
    movement = movementText as MovementKind;
  }
  return {
    ok: true,
    query: { from, to, movement, teamId: single(params.team) || null, repId: single(params.rep) || null },
  };
}
