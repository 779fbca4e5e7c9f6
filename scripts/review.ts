// npm run review [-- --as-of YYYY-MM-DD] [--team "Team name"]
// Runs the same review as the "Run review" button, for scheduled use (cron, a
// sales-ops CI): evaluates every open deal, stores the review, its flags and
// this week's snapshots, and prints the totals per team and rule. Exits
// non-zero with a plain message when it cannot.
import { parseArgs } from "node:util";
import { closeDb, db } from "@/lib/db";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { formatMoney } from "@/lib/format";
import { runReviewAs } from "@/lib/reviews/run";
import { RULES, type RuleName } from "@/lib/rules/types";
import { getOrgContext } from "@/lib/settings/data";

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run review [-- --as-of YYYY-MM-DD] [--team "Team name"]`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: { "as-of": { type: "string" }, team: { type: "string" }, help: { type: "boolean" } },
  }).valueOf() as { values: { "as-of"?: string; team?: string; help?: boolean } };
  if (values.help) usage("Runs the stale-deal review.");

  let asOf: Date | undefined;
  if (values["as-of"]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"]))
      usage(`--as-of must be a date like 2026-03-31, not "${values["as-of"]}".`);
    // The whole day counts: as of the end of that day (UTC).
    asOf = new Date(`${values["as-of"]}T23:59:59.999Z`);
    if (Number.isNaN(asOf.getTime())) usage(`--as-of ${values["as-of"]} is not a real date.`);
  }
  let teamId: string | null = null;
  if (values.team) {
    const team = await db.team.findFirst({ where: { name: { equals: values.team, mode: "insensitive" } } });
    if (!team) {
      const names = (await db.team.findMany({ select: { name: true } })).map((t) => t.name).join(", ");
      usage(`There is no team called "${values.team}". Teams: ${names || "none yet"}.`);
    }
    teamId = team.id;
  }
  if ((await db.opportunity.count()) === 0) {
    throw new Error("The database has no deals yet. Import your pipeline or load the demo (npm run db:seed).");
  }

  const started = performance.now();
  const now = new Date();
  // What the review reads as "now": --as-of, else the organisation's fixed as-of date, else today.
  const org = await getOrgContext(now);
  const asOfUsed = asOf ?? org.asOf;
  const asOfSaid = asOf ? "" : org.asOfFixed ? " (the organisation's fixed as-of date)" : " (today)";
  const { reviewId, totals, evaluation } = await runReviewAs(null, { asOf, teamId, now });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const currency = evaluation.deals[0]?.currency ?? "USD";
  const money = (cents: number) => formatMoney(cents / 100, currency);

  console.log(
    `Review #${reviewId} on ${describeTarget(resolveDatabaseTarget())}, as of ${asOfUsed.toISOString().slice(0, 10)}${asOfSaid} (${seconds}s)`,
  );
  console.log(
    `${totals.openDeals} open deals, ${money(totals.openValueCents)}; flagged ${totals.flaggedDeals} (${money(totals.flaggedValueCents)}); ` +
      `stale ${totals.staleDeals} (${money(totals.staleValueCents)}); ${totals.waivedFlags} ${totals.waivedFlags === 1 ? "flag" : "flags"} held back by waivers.`,
  );
  const rules = Object.keys(RULES) as RuleName[];
  const rows = Object.values(totals.byTeam).map((team) => ({
    team: team.name,
    "open deals": team.openDeals,
    "open value": money(team.openValueCents),
    "stale value": money(team.staleValueCents),
    cycle: `${team.cycle.days}d (${team.cycle.scope})`,
    ...Object.fromEntries(rules.map((rule) => [rule, team.byRule[rule]?.count ?? 0])),
  }));
  console.table(rows);
  const orgLevel = rules
    .filter((rule) => RULES[rule].level !== "deal")
    .map((rule) => `${rule}: ${totals.byRule[rule]?.count ?? 0}`)
    .join(", ");
  console.log(`Rep and team flags — ${orgLevel}`);
}

main()
  .then(() => closeDb())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Review failed: ${message}`);
    if (/relation .* does not exist/.test(message))
      console.error("The database is not set up yet: run npm run db:migrate first.");
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
