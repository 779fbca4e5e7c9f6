// "My deals": the viewer's own open deals, flagged first with what to do.
//
// Until sign-in exists the viewer is a manager (lib/auth/viewer.ts), so a
// manager or admin may preview any rep in their scope with `?rep=<userId>`
// (a rep cannot: they always see their own page). Without ?rep= a manager
// sees the deals they own themselves, if any, and a picker of their reps.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlagBadges } from "@/components/deals/flag-badge";
import { FlaggedDealCard, OtherDealsTable } from "@/components/deals/my-deals";
import { centsToMoney } from "@/components/deals/money";
import { AppShell } from "@/components/shell/app-shell";
import { Button } from "@/components/ui/button";
import { NotReviewedYet } from "@/components/reviews/not-reviewed-yet";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import type { MyDeals } from "@/lib/deals/my-deals";
import { formatCount, formatDate, formatDays, formatMoney } from "@/lib/format";
import { getMyPageData, getPageOrgContext } from "@/lib/page-data/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My deals" };

const ORDERS = [
  ["worst", "Worst first"],
  ["longest", "Flagged longest first"],
] as const;

function orderHref(order: "worst" | "longest", repParam: string | undefined): string {
  const params = new URLSearchParams();
  if (repParam) params.set("rep", repParam);
  if (order === "longest") params.set("order", order);
  return params.size ? `/my?${params}` : "/my";
}

export default async function MyDealsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [query, viewer, org] = await Promise.all([searchParams, getViewer(), getPageOrgContext()]);
  const repParam = Array.isArray(query.rep) ? query.rep[0] : query.rep;
  const order = query.order === "longest" ? "longest" : "worst";
  const mine = await getMyPageData(viewer, org, repParam || null, order);
  if (!mine) notFound();
  const { reviewed } = mine;

  const whose = mine.preview ? `${mine.rep.name}'s deals` : "My deals";
  const managerWithoutDeals = !mine.preview && viewer.role !== "rep" && mine.flagged.length + mine.others.length === 0;

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{whose}</h1>
          {mine.preview ? (
            <p className="text-sm text-slate-700" data-testid="preview-note">
              Preview: this is what {mine.rep.name}
              {mine.rep.teamName ? ` (${mine.rep.teamName})` : ""} sees on their “My deals” page.{" "}
              <Link href={`/reps/${encodeURIComponent(mine.rep.id)}`} className="text-blue-800 underline">
                Open their pipeline
              </Link>
            </p>
          ) : null}
        </div>
        {mine.previewableReps.length > 0 ? (
          <form method="get" action="/my" className="flex items-end gap-2">
            <div className="flex flex-col gap-1">
              <label htmlFor="preview-rep" className="text-sm font-medium text-slate-800">
                Preview a rep's page
              </label>
              <select id="preview-rep" name="rep" defaultValue={mine.preview ? mine.rep.id : ""} className={inputClass}>
                <option value="">My own deals</option>
                {mine.previewableReps.map((rep) => (
                  <option key={rep.id} value={rep.id}>
                    {rep.name}
                    {rep.teamName ? ` — ${rep.teamName}` : ""}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit">Show</Button>
          </form>
        ) : null}
      </div>

      {managerWithoutDeals ? (
        <EmptyState title="You own no open deals yourself.">
          <p>
            “My deals” is each rep's own page. As a {viewer.role} you can preview it for anyone in your scope: pick a
            rep above, or follow a link (the address takes <code>?rep=</code> and the rep's id).
          </p>
          <ul className="mt-3 flex flex-wrap justify-center gap-x-4 gap-y-1">
            {mine.previewableReps.map((rep) => (
              <li key={rep.id}>
                <Link href={`/my?rep=${encodeURIComponent(rep.id)}`} className="text-blue-800 underline">
                  {rep.name}
                </Link>
              </li>
            ))}
          </ul>
        </EmptyState>
      ) : (
        <>
          {reviewed ? null : <NotReviewedYet viewer={viewer} what={mine.preview ? "their deals" : "your deals"} />}
          <MyDealsBody mine={mine} viewerRole={viewer.role} order={order} repParam={repParam} reviewed={reviewed} />
        </>
      )}
    </AppShell>
  );
}

function MyDealsBody({
  mine,
  viewerRole,
  order,
  repParam,
  reviewed,
}: {
  mine: MyDeals;
  viewerRole: Viewer["role"];
  order: "worst" | "longest";
  repParam: string | undefined;
  /** False before any review covered these deals: nothing may be called unflagged. */
  reviewed: boolean;
}) {
  const whose = mine.preview ? `${mine.rep.name}'s deals` : "My deals";
  const total = mine.flagged.length + mine.others.length;
  const streak = mine.daysSinceLastNewDeal;
  const streakLate = streak === null || streak > mine.noNewPipelineDays;
  return (
    <>
      <dl className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat
          label="Open deals"
          value={formatCount(total)}
          hint={formatMoney(centsToMoney(mine.openValueCents), mine.currency)}
        />
        <Stat
          label="Flagged"
          value={reviewed ? formatCount(mine.flagged.length) : "—"}
          hint={
            !reviewed ? "Not reviewed yet" : mine.flagged.length > 0 ? "Start with these, below" : "Nothing flagged"
          }
        />
        <Stat
          label={mine.preview ? "Days since they last opened a deal" : "Days since you last opened a deal"}
          value={streak === null ? "Never" : formatDays(streak)}
          hint={
            mine.lastNewDeal ? (
              <>
                Last: {mine.lastNewDeal.name} ({formatDate(mine.lastNewDeal.openedAt)}).{" "}
                {streakLate
                  ? `Aim for a new opportunity at least every ${formatDays(mine.noNewPipelineDays)}.`
                  : "Keep it going: add to the pipeline every day."}
              </>
            ) : (
              "Open your first opportunity."
            )
          }
          testId="new-pipeline-streak"
        />
        <Stat label="Deals measured against" value={`${mine.cycle.days}-day cycle`} hint={mine.cycle.description} />
      </dl>
      {mine.repFlags.length > 0 ? (
        <div className="mb-6 flex flex-wrap items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-950">
          <FlagBadges flags={mine.repFlags} idPrefix="my-rep-flag" />
          {mine.repFlags.map((flag) => flag.explanation).join(" ")}
        </div>
      ) : null}

      {total === 0 ? (
        <EmptyState title={mine.preview ? `${mine.rep.name} has no open deals.` : "You have no open deals."}>
          Deals {mine.preview ? "they open" : "you open"} in the CRM appear here once imported
          {viewerRole === "rep" ? "" : ", or created"}.
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="flagged-heading" className="mb-8">
            <div className="mb-3 flex flex-wrap items-baseline gap-x-4">
              <h2 id="flagged-heading" className="text-lg font-semibold">
                Flagged deals: {formatCount(mine.flagged.length)}
              </h2>
              <nav aria-label="Order of flagged deals" className="text-sm">
                {ORDERS.map(([value, label]) => (
                  <Link
                    key={value}
                    href={orderHref(value, repParam)}
                    aria-current={order === value ? "true" : undefined}
                    className={`mr-3 ${order === value ? "font-semibold text-slate-900" : "text-blue-800 underline"}`}
                  >
                    {label}
                  </Link>
                ))}
              </nav>
            </div>
            {!reviewed ? (
              <p className="text-slate-700">Not reviewed yet: flags appear here after the first review.</p>
            ) : mine.flagged.length === 0 ? (
              <p className="text-slate-700">
                Nothing is flagged. Keep logging buyer activity and moving deals forward.
              </p>
            ) : (
              <ol className="space-y-3">
                {mine.flagged.map((deal) => (
                  <FlaggedDealCard key={deal.id} deal={deal} />
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="others-heading">
            <h2 id="others-heading" className="mb-3 text-lg font-semibold">
              The rest of {mine.preview ? "their" : "your"} pipeline: {formatCount(mine.others.length)}
            </h2>
            {mine.others.length === 0 ? (
              <p className="text-slate-700">Every open deal is flagged — start at the top.</p>
            ) : (
              <OtherDealsTable deals={mine.others} caption={`${whose} without flags, oldest first`} />
            )}
          </section>
        </>
      )}
    </>
  );
}
