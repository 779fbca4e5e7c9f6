"use client";
// The header of every screen: the organisation, the date the data is "as of"
// (always visible, so nobody mistakes a historical review for today's
// pipeline), who is looking, and the navigation for their role. A client
// component on purpose: React's payload then carries five short values per
// page, not the header's whole element tree — twice, as Next.js also sends
// the frame of the not-found page with every page (the 60 KB page budget).
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { MainNav } from "@/components/shell/main-nav";

type Role = "admin" | "manager" | "rep";

/**
 * Screens in the navigation; `roles`: only for these (others get a refusal there anyway).
 * `repLabel`: what the screen is called for a rep (their home is about them, not the team).
 */
const NAV: { href: string; label: string; repLabel?: string; roles?: Role[] }[] = [
  { href: "/", label: "Team overview", repLabel: "My pipeline" },
  { href: "/my", label: "My deals" },
  { href: "/deals", label: "Flagged deals", roles: ["admin", "manager"] },
  { href: "/board", label: "Stage board", roles: ["admin", "manager"] },
  { href: "/insights", label: "Insights", roles: ["admin", "manager"] },
  { href: "/meeting", label: "Meeting mode" },
  { href: "/settings", label: "Settings" },
  { href: "/audit", label: "Audit trail", roles: ["admin", "manager"] },
  { href: "/users", label: "People", roles: ["admin"] },
  { href: "/import", label: "Import", roles: ["admin"] },
];

export function AppHeader({
  orgName,
  asOf,
  asOfFixed,
  viewerName,
  role,
}: {
  orgName: string;
  /** The as-of date as shown ("Dec 6, 2026"). */
  asOf: string;
  asOfFixed: boolean;
  viewerName: string;
  role: Role;
}) {
  return (
    // Two rows: who and when, then the navigation — fits an admin's eight screens at 1440 px and wraps on a phone.
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 pt-3 pb-1">
        <Link href="/" className="font-semibold text-slate-900">
          Pipeline Integrity <span className="font-normal text-slate-500">· {orgName}</span>
        </Link>
        <div className="ml-auto flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          <span data-testid="as-of">
            Data as of <strong className="text-slate-900">{asOf}</strong>
            {asOfFixed ? " (fixed by the organisation)" : ""}
          </span>
          <span>
            {viewerName} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase">{role}</span>
          </span>
          <SignOutButton />
        </div>
      </div>
      <div className="mx-auto max-w-7xl px-4 pb-2">
        <MainNav
          items={NAV.filter((item) => !item.roles || item.roles.includes(role)).map((item) => ({
            href: item.href,
            label: role === "rep" && item.repLabel ? item.repLabel : item.label,
          }))}
        />
      </div>
    </header>
  );
}
