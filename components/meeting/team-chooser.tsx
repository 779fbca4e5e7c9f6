// An admin's first screen in meeting mode: a meeting is one team's, so the
// admin chooses which (a whole organisation's meeting would load every rep's
// pipeline and is not a meeting anyone holds). Teams have no region in the
// data model, so the choice is a team.
import Link from "next/link";
import { formatCount } from "@/lib/format";
import type { MeetingTeamChoice } from "@/lib/meeting/data";

export function TeamChooser({
  teams,
  repsWithoutTeam,
  notFound,
}: {
  teams: MeetingTeamChoice[];
  repsWithoutTeam: number;
  /** The team asked for in the address does not exist (any more). */
  notFound: boolean;
}) {
  return (
    <div className="flex min-h-screen flex-col bg-white text-slate-950">
      <header className="flex items-center gap-4 border-b-2 border-slate-900 px-4 py-1">
        <p className="flex-1 text-2xl font-bold">Pipeline meeting</p>
        <Link href="/" className="rounded-md px-2 py-1 text-base font-semibold text-slate-900 underline">
          Leave
        </Link>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-4" aria-labelledby="team-chooser-title">
        <h1 id="team-chooser-title" className="text-3xl font-bold">
          Whose meeting? Choose a team
        </h1>
        <p className="mt-1 text-lg text-slate-800">
          The meeting walks through one team: its summary, then one screen per rep.
        </p>
        {notFound ? (
          <p role="alert" className="mt-3 rounded-md border-l-8 border-red-700 bg-red-50 px-3 py-2 text-lg">
            That team no longer exists. Choose one of the teams below.
          </p>
        ) : null}
        {teams.length === 0 ? (
          <p className="mt-6 text-xl">
            No teams yet. Create one on the{" "}
            <Link href="/users" className="underline">
              People
            </Link>{" "}
            page, then come back.
          </p>
        ) : (
          <ul className="mt-4 grid grid-cols-2 gap-2 lg:grid-cols-3" data-testid="meeting-team-choices">
            {teams.map((team) => (
              <li key={team.teamId}>
                <Link
                  href={`/meeting?team=${encodeURIComponent(team.teamId)}`}
                  className="block rounded-md border-2 border-slate-900 px-3 py-2 hover:bg-slate-100 focus-visible:outline-[3px]"
                  data-testid="meeting-team-choice"
                >
                  <span className="block text-xl font-bold">{team.name}</span>
                  <span className="block text-base text-slate-800">
                    {formatCount(team.reps)} {team.reps === 1 ? "rep" : "reps"} · {formatCount(team.openDeals)} open{" "}
                    {team.openDeals === 1 ? "deal" : "deals"}
                    {team.managerName ? ` · ${team.managerName}` : " · no manager"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {repsWithoutTeam > 0 ? (
          <p className="mt-4 text-lg text-slate-800" data-testid="meeting-reps-without-team">
            {formatCount(repsWithoutTeam)} {repsWithoutTeam === 1 ? "rep has" : "reps have"} no team, so no meeting goes
            through their deals: give them a team on the{" "}
            <Link href="/users" className="underline">
              People
            </Link>{" "}
            page.
          </p>
        ) : null}
      </main>
    </div>
  );
}
