// A deal's verdict as it is stored, in a form two verdicts can be compared
// in: the pure twin of the comparison the episode writer makes in SQL
// (lib/reviews/flag-episodes.ts: `(severity, metrics - SAMPLE_SIZE_METRICS)
// IS DISTINCT FROM …`), widened to what else a judgement keeps — the flags a
// waiver holds back with that waiver, and the rules not judged with why.
//
// The sentence is left out, as the episode writer leaves it out: it counts
// days, so it differs every day while nothing about the deal changed. So are
// the sample sizes behind a cycle or a stage median (explain-flag.ts).
import { SAMPLE_SIZE_METRICS } from "./explain-flag";
import type { DealFlag, DealVerdict, FlagMetrics } from "./types";

const NOT_COMPARED: ReadonlySet<string> = new Set(SAMPLE_SIZE_METRICS);

/** The metrics as jsonb compares them: key order does not matter; the sample sizes are dropped. */
function comparedMetrics(metrics: FlagMetrics): string {
  const keys = Object.keys(metrics)
    .filter((key) => !NOT_COMPARED.has(key))
    .sort();
  return JSON.stringify(keys.map((key) => [key, metrics[key]]));
}

function comparedFlag(flag: DealFlag): string {
  return `${flag.rule}|${flag.severity}|${comparedMetrics(flag.metrics)}`;
}

/**
 * One string per stored verdict: equal strings mean the episode writer (and
 * a judgement's waived and not-judged lists) would store nothing new.
 * Flags keep the engine's order (rule order), which is fixed.
 */
export function storedVerdict(verdict: DealVerdict): string {
  return JSON.stringify({
    flags: verdict.flags.map(comparedFlag),
    suppressed: verdict.suppressed.map(
      ({ flag, waiver }) => `${comparedFlag(flag)}|${waiver.kind}|${waiver.until.toISOString()}|${waiver.reason}`,
    ),
    notJudged: verdict.notJudged.map(({ rule, reason }) => `${rule}|${reason}`),
  });
}

export function sameStoredVerdict(a: DealVerdict, b: DealVerdict): boolean {
  return storedVerdict(a) === storedVerdict(b);
}
