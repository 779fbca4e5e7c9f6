import type { Metadata } from "next";
import { StageBoard } from "@/components/deals/stage-board";
import { AppShell } from "@/components/shell/app-shell";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { getTeamBoard } from "@/lib/deals/board-data";
import { formatCount, formatMoney } from "@/lib/format";
import { centsToMoney } from "@/components/deals/money";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Stage board" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamBoardPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getOrgContext(), searchParams]);
  if (viewer.role === "rep") {
    return (
      <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
        <Refusal
          title="The team's stage board is for managers"
          back={{
            href: `/reps/${encodeURIComponent(viewer.userId)}?view=board`,
            label: "See your own deals as a board",
          }}
          testId="managers-only"
        >
          It shows every deal of a team. Your own deals have a board on your pipeline page.
        </Refusal>
      </AppShell>
    );
  }
  const requested = Array.isArray(params.team) ? params.team[0] : params.team;
  const board = await getTeamBoard(viewer, org.asOf, requested ?? null);
  const total = board.deals.reduce((sum, deal) => sum + deal.amountCents, 0);

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Stage board{board.team ? ` · ${board.team.name} team` : ""}</h1>
          <p className="text-sm text-slate-600">
            {formatCount(board.deals.length)} open {board.deals.length === 1 ? "deal" : "deals"} ·{" "}
            {formatMoney(centsToMoney(total), board.currency)} · each card tinted by its worst flag
          </p>
        </div>
        {board.teams.length > 1 ? (
          <form method="get" action="/board" className="flex items-end gap-2">
            <div className="flex flex-col gap-1">
              <label htmlFor="board-team" className="text-sm font-medium text-slate-800">
                Team
              </label>
              <select id="board-team" name="team" defaultValue={board.team?.id ?? ""} className={inputClass}>
                {board.teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="primary">
              Show
            </Button>
          </form>
        ) : null}
      </div>
      {board.team ? (
        <StageBoard deals={board.deals} stages={board.stages} currency={board.currency} canAct showOwner />
      ) : (
        <p className="text-slate-700">You are in no team yet, so there is no team board to show.</p>
      )}
    </AppShell>
  );
}
