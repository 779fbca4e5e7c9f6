// The meeting's last screen(s): every decision recorded against the current
// review on deals the viewer may see, in the order they were taken.
import Link from "next/link";
import type { DecisionsScreen } from "@/lib/meeting/screens";

export function DecisionsScreenView({ screen }: { screen: DecisionsScreen }) {
  return (
    <div className="flex flex-1 flex-col gap-3">
      <p className="text-xl font-semibold" data-testid="decisions-summary">
        {screen.summary}
      </p>
      {screen.rows.length ? (
        <table className="w-full table-fixed border-collapse text-lg" data-testid="decisions-table">
          <caption className="sr-only">Decisions taken in this meeting</caption>
          <colgroup>
            <col className="w-10" />
            <col className="w-[17rem]" />
            <col className="w-[10rem]" />
            <col className="w-[15rem]" />
            <col />
            <col className="w-[10rem]" />
          </colgroup>
          <thead>
            <tr className="border-b-2 border-slate-900 text-left">
              <th scope="col" className="py-1 font-semibold">
                #
              </th>
              <th scope="col" className="px-2 font-semibold">
                Deal
              </th>
              <th scope="col" className="px-2 font-semibold">
                Rep
              </th>
              <th scope="col" className="px-2 font-semibold">
                Decision
              </th>
              <th scope="col" className="px-2 font-semibold">
                Reason
              </th>
              <th scope="col" className="px-2 font-semibold">
                Decided by
              </th>
            </tr>
          </thead>
          <tbody>
            {screen.rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-300 align-top" data-testid="decision-row">
                <td className="py-1 tabular-nums">{row.number}</td>
                <td className="px-2">
                  <Link
                    href={`/deals/${row.dealId}`}
                    className="block truncate font-semibold underline"
                    title={row.deal}
                  >
                    {row.deal}
                  </Link>
                  <span className="block truncate text-base text-slate-800">
                    {row.account ? `${row.account} · ` : ""}
                    {row.amount}
                  </span>
                </td>
                <td className="truncate px-2">{row.rep}</td>
                <td className="px-2 font-semibold">{row.outcome}</td>
                <td className="px-2">
                  <span className="line-clamp-2">{row.reason}</span>
                </td>
                <td className="truncate px-2">{row.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="rounded-md border-2 border-dashed border-slate-400 p-6 text-xl">
          Nothing decided yet. On a rep&apos;s screen, choose a deal with ↑ ↓ and press K, B, P or R.
        </p>
      )}
      <p className="mt-auto text-lg text-slate-800">
        Every decision is in the deal&apos;s history with its reason. Press Esc to leave the meeting.
      </p>
    </div>
  );
}
