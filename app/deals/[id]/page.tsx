import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DealActions } from "@/components/deals/deal-actions";
import { DealHeader } from "@/components/deals/deal-header";
import { DealTimelineList } from "@/components/deals/deal-timeline";
import { NotReviewedYet } from "@/components/reviews/not-reviewed-yet";
import { AppShell } from "@/components/shell/app-shell";
import { getViewer } from "@/lib/auth/viewer";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { dealIdFromPath } from "@/lib/deals/schema";
import { startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Deal" };

const isoDay = (dayNumber: number) => startOfUtcDayNumber(dayNumber).toISOString().slice(0, 10);

export default async function DealPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, viewer, org] = await Promise.all([params, getViewer(), getOrgContext()]);
  const dealId = dealIdFromPath(id);
  const timeline = dealId === null ? null : await getDealTimeline(viewer, dealId, org.asOf);
  if (!timeline) notFound();
  const { deal } = timeline;
  const today = utcDayNumber(org.asOf);

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
        <Link href="/" className="text-blue-800 underline">
          Team overview
        </Link>{" "}
        ›{" "}
        <Link href={`/reps/${encodeURIComponent(deal.ownerId)}`} className="text-blue-800 underline">
          {deal.ownerName}
        </Link>{" "}
        › {deal.name}
      </nav>
      {timeline.reviewed || deal.status !== "open" ? null : <NotReviewedYet viewer={viewer} what="this deal" />}
      <DealHeader timeline={timeline} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <section aria-labelledby="timeline-heading" className="order-2 lg:order-1">
          <h2 id="timeline-heading" className="mb-2 text-lg font-semibold">
            Timeline <span className="text-sm font-normal text-slate-600">(newest first)</span>
          </h2>
          <DealTimelineList events={timeline.events} currency={deal.currency} />
        </section>
        <div className="order-1 lg:order-2">
          {timeline.canAct ? (
            <DealActions
              dealId={deal.id}
              dealName={deal.name}
              version={deal.version}
              isOpen={deal.status === "open"}
              stageName={deal.stageName}
              previousStageName={timeline.previousStage?.name ?? null}
              canWaive={timeline.canWaive}
              nextStep={deal.nextStep}
              expectedCloseDate={deal.expectedCloseDate ? deal.expectedCloseDate.toISOString().slice(0, 10) : ""}
              amount={deal.amount}
              asOfDay={isoDay(today)}
              latestKeepDay={isoDay(today + timeline.maxKeepWaiverDays)}
              latestWaitDay={isoDay(today + timeline.maxWaitingOnBuyerDays)}
              maxKeepWaiverDays={timeline.maxKeepWaiverDays}
              fixedAsOfDay={org.asOfFixed ? isoDay(today) : null}
            />
          ) : (
            <p className="text-sm text-slate-700">You can see this deal but not change it.</p>
          )}
        </div>
      </div>
    </AppShell>
  );
}
