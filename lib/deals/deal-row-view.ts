// The shape of one open deal as the tables, cards and exports show it, and
// the labels and severity order they share. Plain data with no database or
// server imports, so client components can import these types and helpers.
import type { WaiverKind } from "@/lib/generated/prisma/enums";
import { RULES, type RuleName, type Severity } from "@/lib/rules/types";

export interface DealFlagView {
  rule: string;
  /** RULES[rule].label, or the rule name for a rule this version does not know. */
  label: string;
  severity: Severity;
  explanation: string;
  /** When this flag's episode started (its review's or re-evaluation's as-of); set for stored flags. */
  since?: Date;
}

export interface WaiverView {
  id: number;
  kind: WaiverKind;
  /** Last day it applies (inclusive), UTC midnight. */
  until: Date;
  reason: string;
  byName: string | null;
}

export interface StageOption {
  id: number;
  name: string;
  order: number;
  early: boolean;
  probability: number;
}

/** One open deal as the tables and cards show it. Plain data: safe to hand to client components. */
export interface DealRowView {
  id: number;
  /** Where the deal came from ("salesforce", "manual", …) and its id there: exports carry both. */
  source: string;
  externalId: string | null;
  name: string;
  /** Optimistic concurrency: sent back with every action on the deal. */
  version: number;
  accountName: string | null;
  ownerId: string;
  stageId: number;
  stageName: string;
  stageOrder: number;
  early: boolean;
  amountCents: number;
  currency: string;
  ageDays: number;
  /** Age over the average cycle the deal is measured against (e.g. 2.4). */
  ageMultiple: number;
  /** Null when it entered its stage after the as-of date. */
  daysInStage: number | null;
  lastActivityAt: Date | null;
  daysSinceActivity: number | null;
  lastBuyerActivityAt: Date | null;
  daysSinceBuyerActivity: number | null;
  expectedCloseDate: Date | null;
  closeDatePushCount: number;
  nextStep: string | null;
  /** Current flags, worst first. */
  flags: DealFlagView[];
  /** Start of the oldest current flag episode ("flagged for 5 weeks (since Oct 30)"); null when not flagged. */
  flaggedSince: Date | null;
  /** Whole days since flaggedSince; null when not flagged. */
  flaggedDays: number | null;
  /** "flagged for 5 weeks (since Oct 30)"; null when not flagged. */
  flaggedFor: string | null;
  /** Waivers in effect on the as-of date. */
  waivers: WaiverView[];
}

export const SEVERITY_RANK: Record<Severity, number> = { stale: 0, at_risk: 1, nudge: 2, warning: 3 };
export const SEVERITIES: readonly Severity[] = ["stale", "at_risk", "nudge", "warning"];

export function ruleLabel(rule: string): string {
  return rule in RULES ? RULES[rule as RuleName].label : rule;
}

/** Stored current flags as the screens show them: labelled, most serious first, then by label. */
export function flagViews(
  flags: readonly { rule: string; severity: Severity; explanation: string; startedAt: Date }[],
): DealFlagView[] {
  return flags
    .map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flag.explanation,
      since: flag.startedAt,
    }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.label.localeCompare(b.label));
}
