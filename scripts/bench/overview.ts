// Bench line: the admin's team overview over every rep (issue 13, target ≤ 200 ms).
// Times getTeamOverview as the overview page calls it, for the first admin,
// as of the bench's as-of date (the last review's: the per-rep figures hold
// then), and returns the median of the runs. The bench calls it before the
// daily reviews move the organisation's reviews into the future, where an
// overview as of "now" would take the read-time path every page before a
// rep's newest deal takes.
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { getTeamOverview } from "@/lib/overview/data";

export async function benchAdminOverview(runs: number, asOf: Date): Promise<string> {
  const admin = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  if (!admin) return "admin overview page data (all reps): no admin in the organisation";
  const viewer: Viewer = { userId: admin.id, name: admin.name, role: "admin", teamId: null };
  const rules = (await db.orgSettings.findUnique({ where: { id: 1 } }))?.rules ?? {};
  const samples: number[] = [];
  let reps = 0;
  // One unmeasured run first: the first query plans and caches pages, which no page view after it pays.
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const overview = await getTeamOverview(viewer, { asOf, rules });
    if (run > 0) samples.push(performance.now() - started);
    reps = overview.reps.length;
  }
  if (reps === 0) throw new Error("The admin overview listed no rep: its time would measure nothing.");
  samples.sort((a, b) => a - b);
  const middle = Math.floor(samples.length / 2);
  const median = samples.length % 2 ? samples[middle] : ((samples[middle - 1] ?? 0) + (samples[middle] ?? 0)) / 2;
  return `admin overview page data (all reps): ${Math.round(median ?? 0)} ms`;
}
