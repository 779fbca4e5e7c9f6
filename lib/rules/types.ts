// The plain data the engine reads and the verdicts it returns.
//
// Callers (the review run, the re-evaluation after an action) build these from
// the rollup columns and a few set-based queries; nothing here knows Prisma.

/** Matches the Prisma `Severity` enum, so a flag can be stored as is. */
export type Severity = "stale" | "at_risk" | "nudge" | "warning";

/** Matches the Prisma `WaiverKind` enum. */
export type WaiverKind = "waiting_on_buyer" | "manager_keep";

/** Every rule, what it looks at, its severity, and its name on screen. */
export const RULES = {
  "past-its-time": { level: "deal", severity: "stale", label: "Past its time" },
  untouched: { level: "deal", severity: "stale", label: "Untouched" },
  "stuck-in-stage": { level: "deal", severity: "at_risk", label: "Stuck in stage" },
  "close-date-slipping": { level: "deal", severity: "at_risk", label: "Close date slipping" },
  "one-sided": { level: "deal", severity: "at_risk", label: "One-sided" },
  "follow-up-gap": { level: "deal", severity: "nudge", label: "Follow-up gap" },
  "no-new-pipeline": { level: "rep", severity: "nudge", label: "No new pipeline" },
  "sales-trap": { level: "team", severity: "warning", label: "Sales trap" },
} as const satisfies Record<string, { level: "deal" | "rep" | "team"; severity: Severity; label: string }>;

export type RuleName = keyof typeof RULES;
export type DealRuleName = { [K in RuleName]: (typeof RULES)[K]["level"] extends "deal" ? K : never }[RuleName];

/** The numbers behind a flag, stored as JSON next to it. */
export type FlagMetrics = Record<string, number | string | boolean | null>;

export interface Flag<R extends RuleName = RuleName> {
  rule: R;
  severity: Severity;
  /** One sentence with the numbers that triggered the flag. */
  explanation: string;
  metrics: FlagMetrics;
}

export type DealFlag = Flag<DealRuleName>;

export interface DealWaiver {
  kind: WaiverKind;
  /** Last day the waiver applies, inclusive (a `date` column: UTC midnight). */
  until: Date;
  reason: string;
  /** When it was granted. A waiver granted after `asOf` is not in effect yet; a
   *  manager's keep is also capped at `maxKeepWaiverDays` from this day. */
  createdAt?: Date;
  /** When a newer waiver of the same kind replaced it; not in effect from then. */
  endedAt?: Date | null;
}

/**
 * One open deal as of `asOf`, built from the Opportunity row and its rollups.
 *
 * As-of correctness: the rollups hold the latest event overall. When reviewing
 * history (an `asOf` in the past), the caller should pass the latest event at
 * or before `asOf` (and the stage the deal was in then). As a safety net the
 * engine treats any rollup instant after `asOf` as "not happened yet" — it is
 * ignored as if absent, never counted as recent.
 */
export interface DealFacts {
  id: number;
  name: string;
  ownerId: string;
  /** The owner's team; its average cycle is used (organisation when null). */
  teamId: string | null;
  stageId: number;
  stageName: string;
  stageOrder: number;
  /** The stage's own limit; when null, won deals' median time in the stage is used. */
  stageMaxDaysInStage: number | null;
  /** Hundredths of the deal currency (the Decimal(14,2) column × 100, an integer):
   *  exact for sums, and well inside Number's safe integer range. */
  amountCents: number;
  currency: string;
  /** A deal opened after `asOf` did not exist yet and is not evaluated. */
  openedAt: Date;
  /** A `date` column (UTC midnight of the chosen day). */
  expectedCloseDate: Date | null;
  /** Latest activity of either side; null when none was ever logged. */
  lastActivityAt: Date | null;
  lastBuyerActivityAt: Date | null;
  lastSellerActivityAt: Date | null;
  /** When the deal entered its current stage (by any move, forward or back).
   *  Null when no stage history says so: stuck-in-stage is then not judged. */
  stageEnteredAt: Date | null;
  /** Last forward stage move: progress. Moving back does not set it. Null when
   *  the deal never moved forward since it opened. */
  lastForwardMoveAt: Date | null;
  /** How many times the expected close date was moved later. */
  closeDatePushCount: number;
  /** Seller / buyer activities at or after `activityWindowStart(asOf,
   *  oneSidedWindowDays)` and not after `asOf`, counted by the caller in SQL.
   *  The review counts them only where the one-sided rule could fire (seller
   *  activity in the window, none from the buyer by the rollups); elsewhere
   *  they are 0, which that rule cannot tell from the real count. */
  sellerActivitiesInWindow: number;
  buyerActivitiesInWindow: number;
  /** The oldest of the seller activities `sellerActivitiesInWindow` counts (null
   *  when none): the day it leaves the window the count drops, so a one-sided
   *  flag changes (recheck.ts). Loaded where the counts are; undefined = not
   *  loaded, and a deal flagged one-sided is then judged again the next day. */
  oldestSellerActivityInWindowAt?: Date | null;
  /** Waivers on the deal (expired ones may be included; they suppress nothing). */
  waivers: readonly DealWaiver[];
}

/** A flag a waiver holds back: shown as "would be flagged — waived until …". */
export interface SuppressedFlag {
  flag: DealFlag;
  waiver: {
    kind: WaiverKind;
    /** The last day it applies (after the keep cap), UTC midnight. */
    until: Date;
    reason: string;
  };
}

/**
 * A rule the data cannot support for this deal (SPEC: "Where the data cannot
 * support a rule … the rule says 'not judged' with the reason instead of
 * flagging"): no activities imported at all, no stage history, too few won
 * deals to compare with.
 */
export interface NotJudged {
  rule: DealRuleName;
  /** Plain words, e.g. "not judged: no activities imported". */
  reason: string;
}

export interface DealVerdict {
  dealId: number;
  /** Read-only: deals without flags share one empty list. */
  flags: readonly DealFlag[];
  suppressed: readonly SuppressedFlag[];
  /** Rules that could not judge this deal, with why; never counted as flags. */
  notJudged: readonly NotJudged[];
}
