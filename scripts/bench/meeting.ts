// Bench: meeting mode's page data for the largest team of the bench
// organisation, as an admin who chose that team on /meeting — exactly what the
// page reads before it renders (lib/meeting/page-data.ts: the team, the agenda
// with every rep's figures and the first reps' deals, the decisions, what
// changed since the last meeting, and the screens built from them), after the
// organisation's settings. The median of `runs`, after one warm-up run (the
// page is read on a server already running); target ≤ 500 ms (issue 13).
// scripts/bench.ts prints the line this returns.
//
// Alone, on an organisation the bench already generated (and reviewed), with
// the CPU time too (wall-clock on a busy machine says little):
//   PGLITE_DIR=data/bench npx tsx --conditions=react-server scripts/bench/meeting.ts [runs]
import { pathToFileURL } from "node:url";
import type { Viewer } from "@/lib/auth/viewer";
import { closeDb, db } from "@/lib/db";
import { getMeetingPageData } from "@/lib/meeting/page-data";
import { getOrgContext } from "@/lib/org/data";

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The admin and the team with the most reps: whose meeting the bench opens. */
export async function largestTeamMeeting(): Promise<{ viewer: Viewer; teamId: string }> {
  const admin = await db.user.findFirst({ where: { role: "admin" }, select: { id: true, name: true } });
  if (!admin) throw new Error("The meeting bench needs an admin in the bench organisation.");
  const viewer: Viewer = { userId: admin.id, name: admin.name, role: "admin", teamId: null };
  const [largest] = await db.user.groupBy({
    by: ["teamId"],
    where: { role: "rep", teamId: { not: null } },
    _count: { _all: true },
    orderBy: [{ _count: { teamId: "desc" } }, { teamId: "asc" }],
    take: 1,
  });
  if (!largest?.teamId) throw new Error("The meeting bench needs a team with reps.");
  return { viewer, teamId: largest.teamId };
}

/** One opening of the meeting page's data; how many rep screens it built. */
export async function openMeeting(viewer: Viewer, teamId: string, asOf: Date): Promise<number> {
  const org = { ...(await getOrgContext(asOf)), asOf };
  const data = await getMeetingPageData(viewer, org, teamId);
  if (data.kind !== "meeting") throw new Error(`The bench's team ${teamId} was not found.`);
  return data.screens.filter((screen) => screen.kind === "rep").length;
}

/** Medians of `runs` openings after a warm-up: wall-clock and CPU milliseconds. */
async function measure(runs: number, asOf: Date): Promise<{ wallMs: number; cpuMs: number }> {
  const { viewer, teamId } = await largestTeamMeeting();
  await openMeeting(viewer, teamId, asOf);
  const walls: number[] = [];
  const cpus: number[] = [];
  let repScreens = 0;
  for (let run = 0; run < Math.max(1, runs); run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    repScreens = await openMeeting(viewer, teamId, asOf);
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  if (repScreens < 1) throw new Error("The meeting bench built no rep screens: is the bench organisation reviewed?");
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

export async function benchMeetingAgenda({ runs, asOf }: { runs: number; asOf: Date }): Promise<string> {
  const { wallMs } = await measure(runs, asOf);
  return `meeting agenda (largest team): ${Math.round(wallMs)} ms`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 7);
  measure(runs, new Date())
    .then(({ wallMs, cpuMs }) => {
      console.log(
        `meeting agenda (largest team): ${Math.round(wallMs)} ms (CPU ${Math.round(cpuMs)} ms; medians of ${runs})`,
      );
    })
    .then(() => closeDb())
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
