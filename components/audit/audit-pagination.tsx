// Pages of 50 changes: newer / older links that keep the filters.
import Link from "next/link";
import type { AuditFilters } from "@/lib/audit/data";
import { formatCount } from "@/lib/format";

export function auditHref(filters: AuditFilters, page: number): string {
  const params = new URLSearchParams();
  for (const key of ["deal", "person", "from", "to", "kind"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}

export function AuditPagination({
  filters,
  page,
  pageCount,
  total,
  pageSize,
}: {
  filters: AuditFilters;
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
}) {
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const linkClass =
    "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";
  return (
    <nav aria-label="Pages of the audit trail" className="mt-4 flex flex-wrap items-center gap-3 text-sm">
      <span className="text-slate-600">
        Changes {formatCount(first)}–{formatCount(last)} of {formatCount(total)} (page {page} of {pageCount})
      </span>
      {page > 1 ? (
        <Link href={auditHref(filters, page - 1)} className={linkClass} rel="prev">
          ← Newer
        </Link>
      ) : null}
      {page < pageCount ? (
        <Link href={auditHref(filters, page + 1)} className={linkClass} rel="next">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
