// Bench: meeting mode's page data for the largest team of the bench
// organisation, as an admin who chose that team on /meeting: the agenda (every
// rep's figures, the first reps' deals, the others counted), the decisions,
// and the screens built from them. The median of `runs`; target ≤ 500 ms
// (issue 13). scripts/bench.ts prints the line this returns.
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { getMeetingAgenda, getMeetingDecisions, MEETING_REPS_LOADED_AHEAD } from "@/lib/meeting/data";
import { buildMeetingScreens } from "@/lib/meeting/screens";

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export async function benchMeetingAgenda({ runs, asOf }: { runs: number; asOf: Date }): Promise<string> {
  const admin = await db.user.findFirst({ where: { role: "admin" }, select: { id: true, name: true } });
  if (!admin) throw new Error("The meeting bench needs an admin in the bench organisation.");
  const viewer: Viewer = { userId: admin.id, name: admin.name, role: "admin", teamId: null };
  const [largest] = await db.user.groupBy({
    by: ["teamId"],
    where: { role: "rep", teamId: { not: null } },
    _count: { _all: true },
    orderBy: { _count: { teamId: "desc" } },
    take: 1,
  });
  if (!largest?.teamId) throw new Error("The meeting bench needs a team with reps.");
  const teamId = largest.teamId;

  const samples: number[] = [];
  let screens = 0;
  for (let run = 0; run < Math.max(1, runs); run++) {
    const started = performance.now();
    const agenda = await getMeetingAgenda(viewer, asOf, db, {
      teamId,
      loadDealsOfFirstReps: MEETING_REPS_LOADED_AHEAD,
    });
    const decisions = agenda.review ? await getMeetingDecisions(viewer, agenda.review, { teamId }) : [];
    screens = buildMeetingScreens(agenda, decisions, { currency: "USD", scopeName: "bench" }).length;
    samples.push(performance.now() - started);
  }
  if (screens < 2) throw new Error("The meeting bench built no rep screens: is the bench organisation reviewed?");
  return `meeting agenda (largest team): ${Math.round(median(samples))} ms`;
}
