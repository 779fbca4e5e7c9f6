// Plain words for the deal screens: severities, waivers, activity sides, and
// what a rep should do about each flag. Pure, so it is unit-tested.
import type { DealFlagView, WaiverView } from "@/lib/deals/deal-row-view";
import type { Severity } from "@/lib/rules/types";
import { asSentence, formatDate } from "@/lib/format";

export function severityText(severity: Severity): string {
  return { stale: "Stale", at_risk: "At risk", nudge: "Nudge", warning: "Warning" }[severity];
}

/** The waiver in one sentence pair; the reason quoted as typed, ended once ("frozen.”", never "frozen.”."). */
export function waiverText(waiver: Pick<WaiverView, "kind" | "until" | "reason" | "byName">): string {
  const who = waiver.byName ? ` by ${waiver.byName}` : "";
  const reason = `“${asSentence(waiver.reason)}”`;
  return waiver.kind === "manager_keep"
    ? `Kept${who} until ${formatDate(waiver.until)}: ${reason} Its flags are held back until then.`
    : `Waiting on the buyer until ${formatDate(waiver.until)} (recorded${who}): ${reason} No follow-up nudges until then.`;
}

/** The next step a rep can take for one flag, in plain words. */
export const WHAT_TO_DO: Record<string, string> = {
  "past-its-time":
    "It has been open more than twice the usual cycle. If the buyer is still engaged, log their latest activity and move it forward; if not, move it back a stage or return it to prospecting.",
  untouched:
    "Nobody has touched it for a quarter. Contact the buyer and log what happened — or return it to prospecting if it is not a live deal.",
  "stuck-in-stage":
    "It has sat in this stage too long. Move it forward if it progressed; otherwise move it back a stage so the pipeline shows where it really is.",
  "close-date-slipping":
    "The expected close date has passed or keeps moving. Agree a date with the buyer and update the close date.",
  "one-sided":
    "Lots of effort from our side and no answer from the buyer. Get a response and log it as buyer activity; if the buyer asked for time, record “waiting on buyer”.",
  "follow-up-gap":
    "No follow-up from us in a while. Follow up and log it — or, if the buyer asked for time, record “waiting on buyer” until the date they gave.",
};

const FALLBACK = "Open the deal to see why it is flagged and act on it.";

/**
 * One line per flag, deduplicated, worst first; plus the option a rep always
 * has for a deal that is genuinely alive: ask a manager to keep it with a waiver.
 */
export function whatToDo(flags: readonly DealFlagView[]): string[] {
  const steps = [...new Set(flags.map((flag) => WHAT_TO_DO[flag.rule] ?? FALLBACK))];
  if (flags.some((flag) => flag.severity === "stale" || flag.severity === "at_risk")) {
    steps.push("If the deal is alive for a reason the numbers do not show, ask your manager to keep it with a waiver.");
  }
  return steps;
}

export function activitySideText(side: "buyer" | "seller"): string {
  return side === "buyer" ? "Buyer activity" : "Our activity";
}
