"use client";
// The flagged deals of one page of /deals: who owns each, where it stands,
// how old it is against its team's cycle, how long it has been flagged and its
// worst flag — selectable for the same bulk actions as a rep's pipeline
// (./bulk-action-dialog.tsx → lib/deals/actions.ts's bulkDealAction).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { StageOption } from "@/lib/deals/deal-row-view";
import type { FlaggedDealListRow } from "@/lib/deals/flagged-deals-data";
import { formatCount, formatDays, formatMoney, formatMultiple } from "@/lib/format";
import { BulkActionDialog, type BulkAction } from "./bulk-action-dialog";
import { BulkActionsToolbar } from "./bulk-actions-toolbar";
import { WorstFlagCell } from "./flag-badge";
import { centsToMoney } from "./money";

export function FlaggedDealsTable({
  deals,
  stages,
  currency,
  showTeam,
}: {
  deals: FlaggedDealListRow[];
  stages: StageOption[];
  currency: string;
  showTeam: boolean;
}) {
  const router = useRouter();
  const [selectedIds, setSelectedIds] = useState<Set<number>>(new Set());
  const [dialogAction, setDialogAction] = useState<BulkAction | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Only deals still on this page count (after an action the page reloads with fewer).
  const selected = deals.filter((deal) => selectedIds.has(deal.id));
  const allSelected = deals.length > 0 && selected.length === deals.length;

  function toggle(id: number, checked: boolean) {
    setSelectedIds((old) => {
      const next = new Set(old);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <div>
      {status ? (
        <p role="status" className="mb-3 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-950">
          {status}
        </p>
      ) : null}
      <BulkActionsToolbar
        selected={selected}
        currency={currency}
        onAction={setDialogAction}
        onClear={() => setSelectedIds(new Set())}
      />

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-sm">
          <caption className="sr-only">Flagged deals, worst first</caption>
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              <th scope="col" className="w-8 px-2 py-2">
                <input
                  type="checkbox"
                  className="size-4"
                  aria-label="Select all deals on this page"
                  checked={allSelected}
                  ref={(input) => {
                    if (input) input.indeterminate = selected.length > 0 && !allSelected;
                  }}
                  onChange={(event) =>
                    setSelectedIds(event.target.checked ? new Set(deals.map((d) => d.id)) : new Set())
                  }
                />
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Deal
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Rep
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Stage
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium">
                Amount
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium">
                Age
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium">
                Flagged for
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Flags
              </th>
            </tr>
          </thead>
          <tbody>
            {deals.map((deal) => {
              const others = deal.flags.slice(1);
              return (
                <tr
                  key={deal.id}
                  className={`border-t border-slate-100 align-top ${selectedIds.has(deal.id) ? "bg-blue-50" : ""}`}
                  data-testid="flagged-deal-row"
                  data-deal-id={deal.id}
                >
                  <td className="px-2 py-2">
                    <input
                      type="checkbox"
                      className="size-4"
                      aria-label={`Select ${deal.name}`}
                      checked={selectedIds.has(deal.id)}
                      onChange={(event) => toggle(deal.id, event.target.checked)}
                    />
                  </td>
                  <th scope="row" className="min-w-48 px-2 py-2 text-left font-normal">
                    <Link href={`/deals/${deal.id}`} className="font-medium text-blue-800 hover:underline">
                      {deal.name}
                    </Link>
                    {deal.accountName && !deal.name.includes(deal.accountName) ? (
                      <span className="block text-xs text-slate-600">{deal.accountName}</span>
                    ) : null}
                  </th>
                  <td className="px-2 py-2">
                    <Link href={`/reps/${encodeURIComponent(deal.ownerId)}`} className="text-blue-800 hover:underline">
                      {deal.ownerName}
                    </Link>
                    {showTeam && deal.teamName ? (
                      <span className="block text-xs text-slate-600">{deal.teamName}</span>
                    ) : null}
                  </td>
                  <td className="px-2 py-2">{deal.stageName}</td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {formatMoney(centsToMoney(deal.amountCents), deal.currency)}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {formatDays(deal.ageDays)}
                    <span
                      className={`block text-xs ${deal.ageMultiple > 2 ? "font-semibold text-red-800" : "text-slate-600"}`}
                    >
                      {formatMultiple(deal.ageMultiple)} cycle
                    </span>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {deal.flaggedForDays === 0 ? "Since today" : formatDays(deal.flaggedForDays)}
                  </td>
                  <td className="min-w-52 px-2 py-2">
                    <WorstFlagCell
                      deal={deal}
                      idPrefix="flagged"
                      more={
                        <Link
                          href={`/deals/${deal.id}`}
                          className="text-xs font-medium text-blue-800 underline"
                          title={others.map((flag) => flag.label).join(", ")}
                        >
                          +{formatCount(others.length)} more
                          <span className="sr-only">
                            {" "}
                            {others.length === 1 ? "flag" : "flags"} on {deal.name}:{" "}
                            {others.map((f) => f.label).join(", ")}
                          </span>
                        </Link>
                      }
                    />
                  </td>
                </tr>
              );
            })}
            {deals.length === 0 ? (
              <tr>
                <td colSpan={8} className="px-4 py-6 text-center text-slate-600">
                  No flagged deals match these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      {dialogAction ? (
        <BulkActionDialog
          action={dialogAction}
          deals={selected}
          stages={stages}
          currency={currency}
          onClose={() => setDialogAction(null)}
          onDone={(message) => {
            setDialogAction(null);
            setSelectedIds(new Set());
            setStatus(message);
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}
