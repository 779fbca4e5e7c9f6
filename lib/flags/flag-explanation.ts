// A stored flag's sentence for a screen or an export, worded as of the as-of
// date being viewed (lib/rules/explain-flag.ts): a flag stores the days its
// rule counted from, not the day counts, so "open 212 days" is right on
// every day the episode lasts without the review rewriting it daily.
import type { Prisma } from "@/lib/generated/prisma/client";
import { explainFlag } from "@/lib/rules/explain-flag";

/** The columns a flag's sentence is worded from: add to a Prisma flag `select`. */
export const flagWordingSelect = {
  rule: true,
  explanation: true,
  metrics: true,
  asOf: true,
  endedAt: true,
} satisfies Prisma.FlagSelect;

export interface FlagToWord {
  rule: string;
  explanation: string;
  metrics: unknown;
  /** When its anchors were last written (the review or action that found them). */
  asOf: Date;
  endedAt: Date | null;
}

/**
 * The flag's sentence as of `viewedAsOf` — never before the review that last
 * wrote its anchors (their days would count backwards), and for an ended
 * episode as of when it ended (its last numbers).
 */
export function flagExplanation(flag: FlagToWord, viewedAsOf: Date): string {
  let at = viewedAsOf;
  if (flag.endedAt && flag.endedAt < at) at = flag.endedAt;
  if (flag.asOf > at) at = flag.asOf;
  return explainFlag(flag, at);
}
