// The back-test's bench line (issue 18): the whole back-test — the one read,
// the day-by-day replay and the figures — over the latest 10,000 deals closed
// before the organisation's as-of date in the bench database (its generated
// two years of closed deals), median of `runs`. Target: under 2 s on PGlite.
import { connectionQuery, runBacktest } from "@/lib/backtest/data";
import { MS_PER_DAY } from "@/lib/rules/days";
import { parseRuleSettings } from "@/lib/rules/settings";
import { getOrgContext } from "@/lib/settings/data";

export async function benchBacktest(options: { closedDeals?: number; runs?: number } = {}): Promise<string> {
  const wanted = options.closedDeals ?? 10_000;
  const runs = options.runs ?? 3;
  const org = await getOrgContext();
  const settings = parseRuleSettings(org.rules);
  const query = connectionQuery();
  // The window that holds the latest `wanted` closed deals: from the day of the oldest of them.
  const [oldest] = await query<{ at: number | null }>(
    `SELECT date_part('epoch', "closedAt") * 1000 AS at FROM "Opportunity"
      WHERE status IN ('won', 'lost') AND "closedAt" < $1
      ORDER BY "closedAt" DESC OFFSET $2 LIMIT 1`,
    [org.asOf, wanted - 1],
  );
  if (!oldest?.at) return `back-test: fewer than ${wanted} closed deals in the bench database (run it with --fresh)`;
  const windowDays = Math.ceil((org.asOf.getTime() - Number(oldest.at)) / MS_PER_DAY);

  // CPU time too (PGlite runs in this process): on a machine shared with
  // other work the wall clock says more about the neighbours than about us.
  const samples: { wall: number; cpu: number }[] = [];
  let closed = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await runBacktest(query, settings, { asOf: org.asOf, windowDays, teamId: null });
    const cpu = process.cpuUsage(cpuBefore);
    samples.push({ wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000 });
    closed = report.closedDeals;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const wall = median(samples.map((sample) => sample.wall));
  const cpu = median(samples.map((sample) => sample.cpu));
  return `back-test (${closed} closed deals): ${Math.round(wall)} ms (CPU ${Math.round(cpu)} ms; median of ${runs}; ${windowDays}-day window; target < 2,000 ms)`;
}
