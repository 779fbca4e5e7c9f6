// A "not found" answer inside the usual frame, so the navigation stays: a
// person who followed a stale link can go on from here. The page that called
// notFound() already checked the session; this only reads who is looking.
//
// Next.js renders this frame on the server with EVERY page below a
// not-found.tsx (it travels in the page's payload, ready for a notFound()), so
// its organisation read is the page cache's, not a query of its own: the
// settings query here was the one database read per page outside the cache
// (issue 13's load test: one per answered page, beside the data version).
import Link from "next/link";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { getViewer } from "@/lib/auth/viewer";
import { getPageOrgContext } from "@/lib/page-data/data";

export async function NotFoundScreen({
  title,
  children,
  back,
}: {
  title: string;
  children: ReactNode;
  back: { href: string; label: string };
}) {
  const [viewer, org] = await Promise.all([getViewer(), getPageOrgContext()]);
  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="max-w-3xl py-6" data-testid="not-found">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <p className="mt-2 text-slate-700">{children}</p>
        <p className="mt-4">
          <Link href={back.href} className="text-blue-800 underline">
            {back.label}
          </Link>
        </p>
      </div>
    </AppShell>
  );
}
