// Which waivers hold back which flags.
// - "Waiting on the buyer until <date>": the rep is told not to chase, so the
//   follow-up-gap nudge — and only it — is held back (SPEC). One-sided still
//   shows: a rep who keeps chasing a buyer who asked for space is exactly
//   what it is about.
// - "Manager keeps it until <date>": every flag of the deal is held back, for
//   at most `maxKeepWaiverDays` from the day it was granted (waiting on the
//   buyer likewise at most `maxWaitingOnBuyerDays`).
// A waiver applies through its `until` day inclusive (UTC), and nothing after:
// an expired waiver suppresses nothing. Held-back flags are returned, not
// dropped, so screens can say "would be flagged — waived until …, because …".
import { startOfUtcDayNumber, utcDayNumber } from "./days";
import type { RuleSettings } from "./settings";
import type { DealFlag, DealRuleName, DealWaiver, SuppressedFlag, WaiverKind } from "./types";

const WAITING_ON_BUYER_HOLDS_BACK: ReadonlySet<DealRuleName> = new Set(["follow-up-gap"]);

export function waiverCovers(kind: WaiverKind, rule: DealRuleName): boolean {
  return kind === "manager_keep" || WAITING_ON_BUYER_HOLDS_BACK.has(rule);
}

/** The latest day a manager's keep granted on `grantedAt` may run to (inclusive). */
export function latestKeepUntil(grantedAt: Date, settings: RuleSettings): Date {
  return startOfUtcDayNumber(utcDayNumber(grantedAt) + settings.maxKeepWaiverDays);
}

export interface ActiveWaiver {
  kind: WaiverKind;
  /** Last day it applies, as a UTC day number (after the keep cap). */
  untilDay: number;
  reason: string;
}

/** The waivers in effect on asOf's day, longest-lasting first. */
export function activeWaivers(
  waivers: readonly DealWaiver[],
  settings: RuleSettings,
  asOfMs: number,
  asOfDay: number,
): ActiveWaiver[] {
  const active: ActiveWaiver[] = [];
  for (const waiver of waivers) {
    if (waiver.createdAt && waiver.createdAt.getTime() > asOfMs) continue; // not granted yet
    if (waiver.endedAt && waiver.endedAt.getTime() <= asOfMs) continue; // replaced by a newer one
    let untilDay = utcDayNumber(waiver.until);
    if (waiver.createdAt) {
      // Both kinds are capped from the day they were granted, so a waiver
      // recorded before the cap existed (or before it was lowered) cannot
      // hold flags back for longer than the setting allows.
      const maxDays = waiver.kind === "manager_keep" ? settings.maxKeepWaiverDays : settings.maxWaitingOnBuyerDays;
      untilDay = Math.min(untilDay, utcDayNumber(waiver.createdAt) + maxDays);
    }
    if (untilDay >= asOfDay) active.push({ kind: waiver.kind, untilDay, reason: waiver.reason });
  }
  return active.sort((a, b) => b.untilDay - a.untilDay);
}

/** Splits flags into those shown and those an active waiver holds back. */
export function applyWaivers(
  flags: readonly DealFlag[],
  waivers: readonly ActiveWaiver[],
): { flags: readonly DealFlag[]; suppressed: readonly SuppressedFlag[] } {
  if (waivers.length === 0 || flags.length === 0) return { flags, suppressed: [] };
  const shown: DealFlag[] = [];
  const suppressed: SuppressedFlag[] = [];
  for (const flag of flags) {
    // Longest-lasting first, so the screen names the waiver that holds longest.
    const waiver = waivers.find((w) => waiverCovers(w.kind, flag.rule));
    if (waiver) {
      suppressed.push({
        flag,
        waiver: { kind: waiver.kind, until: startOfUtcDayNumber(waiver.untilDay), reason: waiver.reason },
      });
    } else {
      shown.push(flag);
    }
  }
  return { flags: shown, suppressed };
}
