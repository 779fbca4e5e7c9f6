// A rep's own deals: flagged ones first as cards saying why and what to do
// in plain words, then the rest in a compact table.
import Link from "next/link";
import { ColumnHeaders } from "@/components/ui/column-headers";
import type { DealRowView } from "@/lib/deals/deal-row-view";
import { formatDate, formatDays, formatMoney } from "@/lib/format";
import { FlagBadges, WaiverBadge, WaiverNote } from "./flag-badge";
import { centsToMoney } from "./money";
import { whatToDo } from "./wording";

function lastTouch(days: number | null): string {
  if (days === null) return "never";
  return days === 0 ? "today" : `${formatDays(days)} ago`;
}

export function FlaggedDealCard({ deal }: { deal: DealRowView }) {
  const headingId = `my-deal-${deal.id}`;
  return (
    <li>
      <article
        aria-labelledby={headingId}
        className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        data-testid="my-flagged-deal"
        data-deal-id={deal.id}
      >
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h3 id={headingId} className="text-base font-semibold">
            <Link href={`/deals/${deal.id}`} className="text-blue-800 hover:underline">
              {deal.name}
            </Link>
          </h3>
          <span className="text-sm text-slate-700">
            {deal.accountName ?? "No account"} · {deal.stageName} ·{" "}
            {formatMoney(centsToMoney(deal.amountCents), deal.currency)} · open {formatDays(deal.ageDays)}
          </span>
          {deal.flaggedFor ? (
            <span className="text-sm text-slate-600" data-testid="flagged-for">
              {deal.flaggedFor}
            </span>
          ) : null}
          <span className="ml-auto">
            <FlagBadges flags={deal.flags} idPrefix={`my-flag-${deal.id}`} align="right" />
          </span>
        </div>
        <ul className="mt-2 space-y-1 text-sm text-slate-800">
          {deal.flags.map((flag) => (
            <li key={flag.rule}>
              <strong>{flag.label}:</strong> {flag.explanation}
            </li>
          ))}
        </ul>
        {deal.waivers.map((waiver) => (
          <div key={waiver.id} className="mt-2">
            <WaiverNote waiver={waiver} />
          </div>
        ))}
        <div className="mt-3 rounded-md bg-blue-50 px-3 py-2 text-sm text-blue-950">
          <p className="font-semibold">What to do</p>
          <ul className="list-disc pl-5">
            {whatToDo(deal.flags).map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <p className="mt-1">
            <Link href={`/deals/${deal.id}`} className="font-medium text-blue-800 underline">
              Open “{deal.name}” to log activity, update it or move it
            </Link>
          </p>
        </div>
      </article>
    </li>
  );
}

export function OtherDealsTable({ deals, caption }: { deals: DealRowView[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <ColumnHeaders
          columns={[
            { label: "Deal" },
            { label: "Account" },
            { label: "Stage" },
            { label: "Amount", numeric: true },
            { label: "Age", numeric: true },
            { label: "Last activity" },
            { label: "Last buyer activity" },
            { label: "Expected close" },
            { label: "Next step" },
          ]}
        />
        <tbody>
          {deals.map((deal) => (
            <tr key={deal.id} className="border-t border-slate-100" data-testid="my-other-deal" data-deal-id={deal.id}>
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link href={`/deals/${deal.id}`} className="font-medium text-blue-800 hover:underline">
                  {deal.name}
                </Link>
                {deal.waivers.map((waiver) => (
                  <span key={waiver.id} className="ml-1">
                    <WaiverBadge waiver={waiver} />
                  </span>
                ))}
              </th>
              <td className="px-3 py-2">{deal.accountName ?? "—"}</td>
              <td className="px-3 py-2">{deal.stageName}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {formatMoney(centsToMoney(deal.amountCents), deal.currency)}
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{formatDays(deal.ageDays)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{lastTouch(deal.daysSinceActivity)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{lastTouch(deal.daysSinceBuyerActivity)}</td>
              <td className="px-3 py-2">
                {formatDate(deal.expectedCloseDate)}
                {deal.closeDatePushCount > 0 ? ` (pushed ${deal.closeDatePushCount}×)` : ""}
              </td>
              <td className="px-3 py-2">{deal.nextStep ?? <span className="text-slate-500">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
