// /changes: the deals behind one "what changed" number (?movement=pushed_out
// &from=…&to=…&team=…&rep=…), scoped to the viewer; without a movement, every
// movement of the window with its count and value.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ChangedDealsTable } from "@/components/changes/changed-deals-table";
import { SinceLastWeek } from "@/components/changes/since-last-week";
import { moneyOf } from "@/components/changes/wording";
import { AppShell } from "@/components/shell/app-shell";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { getWhatChanged, listChangedDeals } from "@/lib/changes/data";
import { MOVEMENT_LABELS, MOVEMENT_VALUE_MEANING } from "@/lib/changes/movements";
import { parseChangesQuery } from "@/lib/changes/window";
import { formatCount, formatDate } from "@/lib/format";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "What changed" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ChangesPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer(), getOrgContext(), searchParams]);
  const parsed = parseChangesQuery(params, org.asOf);
  const shell = (children: ReactNode) => (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      {children}
    </AppShell>
  );
  if (!parsed.ok)
    return shell(
      <Refusal
        title="This link does not say which changes to show"
        back={{ href: "/", label: "Back to the overview" }}
        testId="changes-bad-link"
      >
        {parsed.message}
      </Refusal>,
    );
  const { query } = parsed;
  const window = { from: query.from, to: query.to, teamId: query.teamId ?? undefined, repId: query.repId ?? undefined };
  const filter = { teamId: query.teamId, repId: query.repId };

  if (!query.movement) {
    const changes = await getWhatChanged(viewer, window);
    return shell(
      <>
        <Heading title="What changed" scope={scopeName(changes, query)} from={query.from} to={query.to} />
        <SinceLastWeek changes={changes} currency={org.currency} title="What changed" filter={filter} />
      </>,
    );
  }

  const movement = query.movement;
  const { changes, deals } = await listChangedDeals(viewer, { ...window, movement });
  const total = changes.total.movements[movement];
  return shell(
    <>
      <Heading title={MOVEMENT_LABELS[movement]} scope={scopeName(changes, query)} from={query.from} to={query.to} />
      <p className="mb-3 text-sm text-slate-700" data-testid="changes-total">
        {formatCount(total.count)} {total.count === 1 ? "deal" : "deals"}, {moneyOf(total.valueCents, org.currency)} (
        {MOVEMENT_VALUE_MEANING[movement]}).
      </p>
      <ChangedDealsTable deals={deals} currency={org.currency} valueLabel={MOVEMENT_VALUE_MEANING[movement]} />
    </>,
  );
}

function Heading({ title, scope, from, to }: { title: string; scope: string; from: Date; to: Date }) {
  return (
    <div className="mb-4">
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-slate-600">
        <Link href="/" className="text-blue-800 underline">
          Team overview
        </Link>{" "}
        › What changed
      </nav>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-sm text-slate-600">
        {scope} · from {formatDate(from)} ({from.toISOString().slice(11, 16)} UTC) to {formatDate(to)} (
        {to.toISOString().slice(11, 16)} UTC)
      </p>
    </div>
  );
}

/** Who the numbers cover, named only from what the viewer may see. */
function scopeName(
  changes: Awaited<ReturnType<typeof getWhatChanged>>,
  query: { teamId: string | null; repId: string | null },
): string {
  if (query.repId) return changes.reps.find((rep) => rep.repId === query.repId)?.repName ?? "No deals you can see";
  if (query.teamId) {
    const team = changes.teams.find((row) => row.teamId === query.teamId);
    return team ? `${team.teamName} team` : "No deals you can see";
  }
  return "Everything you can see";
}
