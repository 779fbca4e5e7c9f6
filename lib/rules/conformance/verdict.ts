// What a conformance row checks: a rule's verdict on one deal — flagged,
// held back by a waiver, not judged, or nothing — as of AS_OF. The expected
// verdict in each table is worked out by hand in the row (literal numbers);
// only the engine's public evaluator is called, never its helpers.
import { evaluateDeal } from "../deal-rules";
import type { RuleSettings } from "../settings";
import type { RuleContext } from "../statistics";
import { AS_OF } from "../test-support";
import type { DealFacts, DealRuleName } from "../types";

export type Verdict = "flagged" | "waived" | "not judged" | "clear";

export function verdictOf(
  rule: DealRuleName,
  deal: DealFacts,
  context: RuleContext,
  settings: RuleSettings,
  asOf: Date = AS_OF,
): Verdict {
  const verdict = evaluateDeal(deal, context, settings, asOf);
  if (verdict.flags.some((flag) => flag.rule === rule)) return "flagged";
  if (verdict.suppressed.some((held) => held.flag.rule === rule)) return "waived";
  if (verdict.notJudged.some((unjudged) => unjudged.rule === rule)) return "not judged";
  return "clear";
}
