// The order of the deal rules in RepFigures' per-rule arrays (ruleDeals,
// ruleCents): element i counts FIGURES_RULES[i]. Stored rows depend on it, so
// it is append-only — a new deal rule goes at the end and needs no schema
// change (rows written before it are shorter; a missing element is 0). Renaming
// or removing a rule means recounting everyone (refreshRepFigures "everyone").
import type { DealRuleName } from "@/lib/rules/types";

export const FIGURES_RULES = [
  "past-its-time",
  "untouched",
  "stuck-in-stage",
  "close-date-slipping",
  "one-sided",
  "follow-up-gap",
] as const satisfies readonly DealRuleName[];

// Every deal rule has a place: adding a rule to RULES without adding it here fails the type check.
type Unplaced = Exclude<DealRuleName, (typeof FIGURES_RULES)[number]>;
const everyRulePlaced: [Unplaced] extends [never] ? true : Unplaced = true;
void everyRulePlaced;

/** The order as a SQL array literal (the names are constants of ours, not input). */
export const FIGURES_RULES_SQL = `ARRAY[${FIGURES_RULES.map((rule) => `'${rule}'`).join(", ")}]::text[]`;
