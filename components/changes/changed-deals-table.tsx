// The deals behind one "what changed" number, each with its part of it.
import Link from "next/link";
import { ColumnHeaders } from "@/components/ui/column-headers";
import { EmptyState } from "@/components/ui/empty-state";
import type { ChangedDeal } from "@/lib/changes/data";
import { moneyOf } from "./wording";

const STATUS_WORDS: Record<ChangedDeal["status"], string> = {
  open: "Open",
  prospect: "Prospect",
  won: "Won",
  lost: "Lost",
};

export function ChangedDealsTable({
  deals,
  currency,
  valueLabel,
}: {
  deals: ChangedDeal[];
  currency: string;
  valueLabel: string;
}) {
  if (deals.length === 0) return <EmptyState title="No deals moved this way in this window." />;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="changed-deals">
        <caption className="sr-only">Deals behind the number, with each one's part of it</caption>
        <ColumnHeaders
          columns={[
            { label: "Deal" },
            { label: "Account" },
            { label: "Owner" },
            { label: "Stage now" },
            { label: "Status now" },
            { label: `Value (${valueLabel})`, numeric: true },
          ]}
        />
        <tbody>
          {deals.map((deal) => (
            <tr key={deal.id} className="border-t border-slate-100">
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link href={`/deals/${deal.id}`} className="text-blue-800 underline">
                  {deal.name}
                </Link>
              </th>
              <td className="px-3 py-2">{deal.accountName ?? "—"}</td>
              <td className="px-3 py-2">{deal.ownerName}</td>
              <td className="px-3 py-2">{deal.stageName}</td>
              <td className="px-3 py-2">{STATUS_WORDS[deal.status]}</td>
              <td className="px-3 py-2 text-right tabular-nums">{moneyOf(deal.valueCents, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
