// Dates as CRM exports write them: ISO (2026-03-31, optionally with a time),
// US month/day/year (3/31/2026) and European day.month.year (31.03.2026, or
// 31/03/2026). A slash date like 3/4/2026 is ambiguous; the order is chosen
// once per file — from the file's own evidence (a 25/3/2026 can only be
// day-first) or by the person importing — and never guessed silently.
//
// Calendar days (expected close dates) become UTC midnight, as the database
// stores `date` columns. Instants given as a day only (a created date without
// a time) become noon UTC, which is the same calendar day in every time zone
// from UTC−11 to UTC+11; a time without a zone is read as UTC.

export type DateOrder = "us" | "eu";

export const ACCEPTED_DATE_FORMATS =
  "2026-03-31 (ISO, optionally with a time like 2026-03-31 14:05 or 2026-03-31T14:05:00Z), 3/31/2026 (US month/day/year) or 31.03.2026 / 31/03/2026 (European day/month/year)";

interface Time {
  hours: number;
  minutes: number;
  seconds: number;
  millis: number;
  /** Minutes east of UTC; null = no zone given. */
  offset: number | null;
}

/** A date read from text, before the day/month order of slash dates is known. */
export type DateText =
  | { form: "iso"; year: number; month: number; day: number; time: Time | null }
  | { form: "dot"; year: number; month: number; day: number; time: Time | null }
  | { form: "slash"; year: number; first: number; second: number; time: Time | null };

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]\.?M\.?)?)?$/i;
const DOT = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function zoneOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  if (/^(z|utc)$/i.test(zone)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

function time(
  hours?: string,
  minutes?: string,
  seconds?: string,
  fraction?: string,
  zone?: string,
  meridiem?: string,
): Time | null | "invalid" {
  if (hours === undefined) return null;
  let h = Number(hours);
  if (meridiem) {
    if (h < 1 || h > 12) return "invalid";
    const pm = /^p/i.test(meridiem);
    h = (h % 12) + (pm ? 12 : 0);
  }
  const m = Number(minutes);
  const s = Number(seconds ?? 0);
  if (h > 23 || m > 59 || s > 59) return "invalid";
  return {
    hours: h,
    minutes: m,
    seconds: s,
    millis: fraction ? Number(fraction.padEnd(3, "0").slice(0, 3)) : 0,
    offset: zoneOffset(zone),
  };
}

/** Reads the shape of a date; null when it is not a date in an accepted format. */
export function readDateText(text: string): DateText | null {
  const value = text.trim();
  let match = ISO.exec(value);
  if (match) {
    const t = time(match[4], match[5], match[6], match[7], match[8]);
    if (t === "invalid") return null;
    return { form: "iso", year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), time: t };
  }
  match = SLASH.exec(value);
  if (match) {
    const t = time(match[4], match[5], match[6], undefined, undefined, match[7]);
    if (t === "invalid") return null;
    return { form: "slash", first: Number(match[1]), second: Number(match[2]), year: Number(match[3]), time: t };
  }
  match = DOT.exec(value);
  if (match) {
    const t = time(match[4], match[5], match[6]);
    if (t === "invalid") return null;
    return { form: "dot", day: Number(match[1]), month: Number(match[2]), year: Number(match[3]), time: t };
  }
  return null;
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2200) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What a slash date says about the file's order: only one reading is valid, both, or they agree. */
export function slashDateEvidence(date: DateText): "us" | "eu" | "ambiguous" | "same" | "invalid" | null {
  if (date.form !== "slash") return null;
  const asUs = validDay(date.year, date.first, date.second);
  const asEu = validDay(date.year, date.second, date.first);
  if (asUs && asEu) return date.first === date.second ? "same" : "ambiguous";
  if (asUs) return "us";
  if (asEu) return "eu";
  return "invalid";
}

export type DateResult = { ok: true; date: Date } | { ok: false; reason: string };

/**
 * The date as a calendar day (UTC midnight) or an instant. `order` is the
 * file's slash-date order; null when the file has no ambiguous slash dates to
 * decide (a slash date then must be unambiguous).
 */
export function resolveDate(text: string, as: "day" | "instant", order: DateOrder | null): DateResult {
  const date = readDateText(text);
  const unreadable = {
    ok: false as const,
    reason: `“${text}” is not a date we can read. Use ${ACCEPTED_DATE_FORMATS}.`,
  };
  if (!date) return unreadable;
  let year = date.year;
  let month: number;
  let day: number;
  if (date.form === "slash") {
    const evidence = slashDateEvidence(date);
    if (evidence === "invalid") return unreadable;
    const effective = order ?? (evidence === "us" || evidence === "eu" ? evidence : "us");
    if (evidence === "ambiguous" && order === null) {
      return { ok: false, reason: `“${text}” could be month/day or day/month: choose how this file writes dates.` };
    }
    [month, day] = effective === "us" ? [date.first, date.second] : [date.second, date.first];
    if (!validDay(year, month, day)) {
      const written = effective === "us" ? "month/day/year (US)" : "day/month/year (European)";
      return {
        ok: false,
        reason: `“${text}” is not a real date when read as ${written}, the way this file's dates are read.`,
      };
    }
  } else {
    month = date.month;
    day = date.day;
    year = date.year;
    if (!validDay(year, month, day)) return { ok: false, reason: `“${text}” is not a real calendar date.` };
  }
  if (as === "day") return { ok: true, date: new Date(Date.UTC(year, month - 1, day)) };
  const t = date.time;
  if (!t) return { ok: true, date: new Date(Date.UTC(year, month - 1, day, 12)) };
  const utc = Date.UTC(year, month - 1, day, t.hours, t.minutes, t.seconds, t.millis) - (t.offset ?? 0) * 60_000;
  return { ok: true, date: new Date(utc) };
}

export interface DateOrderEvidence {
  /** Slash dates that only make sense month-first, with the first such example. */
  us: number;
  usExample: { line: number; text: string } | null;
  eu: number;
  euExample: { line: number; text: string } | null;
  ambiguous: number;
  ambiguousExample: { line: number; text: string } | null;
}

export function emptyEvidence(): DateOrderEvidence {
  return { us: 0, usExample: null, eu: 0, euExample: null, ambiguous: 0, ambiguousExample: null };
}

export function noteDateEvidence(evidence: DateOrderEvidence, text: string, line: number): void {
  const date = readDateText(text);
  if (!date) return;
  const kind = slashDateEvidence(date);
  if (kind === "us") {
    evidence.us++;
    evidence.usExample ??= { line, text };
  } else if (kind === "eu") {
    evidence.eu++;
    evidence.euExample ??= { line, text };
  } else if (kind === "ambiguous") {
    evidence.ambiguous++;
    evidence.ambiguousExample ??= { line, text };
  }
}

export type DateOrderDecision =
  /** The order in use and why, in plain words. */
  | { status: "decided"; order: DateOrder | null; explanation: string; chosen: boolean }
  /** The person must choose; the question explains why. */
  | { status: "question"; question: string; examples: { line: number; text: string }[] };

const ORDER_WORDS: Record<DateOrder, string> = {
  us: "month/day/year (US)",
  eu: "day/month/year (European)",
};

export function describeOrder(order: DateOrder): string {
  return ORDER_WORDS[order];
}

/** Decides the file's slash-date order from its evidence, or from the person's choice. */
export function decideDateOrder(evidence: DateOrderEvidence, chosen: DateOrder | undefined): DateOrderDecision {
  const slashDates = evidence.us + evidence.eu + evidence.ambiguous;
  if (chosen) {
    return {
      status: "decided",
      order: chosen,
      chosen: true,
      explanation: `Dates like 3/4/2026 are read as ${ORDER_WORDS[chosen]}, as you chose.`,
    };
  }
  if (slashDates === 0) {
    return { status: "decided", order: null, chosen: false, explanation: "No date in this file is ambiguous." };
  }
  if (evidence.us > 0 && evidence.eu > 0 && evidence.usExample && evidence.euExample) {
    return {
      status: "question",
      question:
        `This file writes dates both ways: “${evidence.usExample.text}” (line ${evidence.usExample.line}) only makes sense as month/day, ` +
        `“${evidence.euExample.text}” (line ${evidence.euExample.line}) only as day/month. Choose the order most of the file uses; rows that do not fit it will be rejected.`,
      examples: [evidence.usExample, evidence.euExample],
    };
  }
  if (evidence.us > 0 && evidence.usExample) {
    return {
      status: "decided",
      order: "us",
      chosen: false,
      explanation: `Dates are read as ${ORDER_WORDS.us}: “${evidence.usExample.text}” on line ${evidence.usExample.line} can only be read that way.`,
    };
  }
  if (evidence.eu > 0 && evidence.euExample) {
    return {
      status: "decided",
      order: "eu",
      chosen: false,
      explanation: `Dates are read as ${ORDER_WORDS.eu}: “${evidence.euExample.text}” on line ${evidence.euExample.line} can only be read that way.`,
    };
  }
  if (evidence.ambiguous > 0 && evidence.ambiguousExample) {
    const { text, line } = evidence.ambiguousExample;
    return {
      status: "question",
      question: `Dates in this file such as “${text}” (line ${line}) could be month/day/year (US) or day/month/year (European), and no date in the file settles it. Choose how the file writes dates.`,
      examples: [evidence.ambiguousExample],
    };
  }
  return { status: "decided", order: null, chosen: false, explanation: "No date in this file is ambiguous." };
}

/** The ISO day (YYYY-MM-DD) of a UTC instant or calendar day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
