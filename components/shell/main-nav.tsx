"use client";
// The main navigation with the current screen marked (aria-current="page",
// shown bold and underlined): a screen "is current" for its own path and every
// path below it (/deals/42 lights up "Flagged deals"), the overview only for "/".
import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
}

export function isCurrentScreen(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/" || pathname.startsWith("/reps/") || pathname === "/board";
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function MainNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname() ?? "/";
  // One current item at most: the longest matching href wins (/my vs /).
  const current = items
    .filter((item) => isCurrentScreen(pathname, item.href))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label="Main" className="-mx-1 overflow-x-auto">
      <ul className="flex gap-1 text-sm whitespace-nowrap">
        {items.map((item) => {
          const isCurrent = item.href === current;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={isCurrent ? "page" : undefined}
                className={`block rounded px-2 py-1 ${
                  isCurrent
                    ? "bg-blue-50 font-semibold text-blue-900 underline decoration-2 underline-offset-4"
                    : "text-slate-700 hover:bg-slate-100 hover:text-slate-950"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
