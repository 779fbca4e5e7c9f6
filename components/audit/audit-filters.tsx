// Filters of the audit trail, kept in the URL (a plain GET form: works without
// JavaScript, and a filtered trail can be shared): deal, person, dates, kind.
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { AUDIT_KINDS, type AuditFilters, type AuditKind } from "@/lib/audit/data";

export function AuditFiltersForm({
  filters,
  people,
}: {
  filters: AuditFilters;
  people: { id: string; name: string }[];
}) {
  const filtered = Boolean(filters.deal || filters.person || filters.from || filters.to || filters.kind);
  // A person filtered by link (from the people page) who made no visible change is still shown as chosen.
  const choices =
    filters.person && !people.some((person) => person.id === filters.person)
      ? [...people, { id: filters.person, name: "(nobody with changes you can see)" }]
      : people;
  return (
    <form
      method="get"
      action="/audit"
      className="mb-4 flex flex-wrap items-end gap-3"
      aria-label="Filter the audit trail"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-deal" className="text-sm font-medium text-slate-800">
          Deal
        </label>
        <input
          id="audit-deal"
          name="deal"
          type="search"
          defaultValue={filters.deal ?? ""}
          placeholder="#1234 or part of its name"
          className={`${inputClass} w-56`}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-person" className="text-sm font-medium text-slate-800">
          Changed by
        </label>
        <select
          id="audit-person"
          name="person"
          defaultValue={filters.person ?? ""}
          className={`${inputClass} max-w-56`}
        >
          <option value="">Anyone</option>
          {choices.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-from" className="text-sm font-medium text-slate-800">
          From
        </label>
        <input id="audit-from" name="from" type="date" defaultValue={filters.from ?? ""} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-to" className="text-sm font-medium text-slate-800">
          To (inclusive)
        </label>
        <input id="audit-to" name="to" type="date" defaultValue={filters.to ?? ""} className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-kind" className="text-sm font-medium text-slate-800">
          Kind of change
        </label>
        <select id="audit-kind" name="kind" defaultValue={filters.kind ?? ""} className={inputClass}>
          <option value="">All</option>
          {(Object.keys(AUDIT_KINDS) as AuditKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {AUDIT_KINDS[kind].label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit">Show</Button>
      {filtered ? (
        <Link href="/audit" className="self-center text-sm text-blue-800 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
