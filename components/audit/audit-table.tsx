// The audit trail as a table: when, who, what, about what, and the change as
// "field: old → new" lines. Colour is never the only signal: the arrow and the
// words carry the change.
import Link from "next/link";
import type { AuditEntry } from "@/lib/audit/data";
import { LocalDayAndTime } from "@/components/ui/local-time";
import { actionLabel, auditDiff, type DiffContext, type DiffLine, describeEntity } from "./wording";

export function AuditTable({
  entries,
  context,
  canManagePeople,
  caption,
}: {
  entries: AuditEntry[];
  context: DiffContext;
  canManagePeople: boolean;
  caption: string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="audit-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="w-32 px-3 py-2 font-medium">
              When
            </th>
            <th scope="col" className="w-40 px-3 py-2 font-medium">
              Who
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              What
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Before → after
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const entity = describeEntity(entry, { canManagePeople });
            const lines = auditDiff(entry.before, entry.after, context);
            return (
              <tr key={entry.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
                <td className="px-3 py-2 tabular-nums">
                  <LocalDayAndTime at={entry.at} />
                </td>
                <td className="px-3 py-2">
                  {entry.actor ? entry.actor.name : <span className="text-slate-600">An import or the system</span>}
                </td>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  <span className="font-medium text-slate-900">{actionLabel(entry.action)}</span>
                  <span className="block">
                    {entity.href ? (
                      <Link href={entity.href} className="text-blue-800 underline-offset-2 hover:underline">
                        {entity.label}
                      </Link>
                    ) : (
                      <span className="text-slate-700">{entity.label}</span>
                    )}
                  </span>
                </th>
                <td className="px-3 py-2">
                  <DiffList lines={lines} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function DiffList({ lines }: { lines: DiffLine[] }) {
  if (lines.length === 0) return <span className="text-slate-500">No details recorded</span>;
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-3 gap-y-0.5">
      {lines.map((line) => (
        <div key={line.key} className="contents">
          <dt className="text-slate-600">{line.label}</dt>
          <dd className="min-w-0 break-words">
            {line.before === null ? (
              <span className="text-slate-900">{line.after}</span>
            ) : line.after === null ? (
              <span className="text-slate-600">
                {line.before} <span className="text-xs">(removed)</span>
              </span>
            ) : (
              <>
                <span className="text-slate-600">{line.before}</span>{" "}
                <span aria-hidden="true" className="text-slate-500">
                  →
                </span>
                <span className="sr-only">changed to</span>{" "}
                <span className="font-medium text-slate-900">{line.after}</span>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
