// A plain refusal where a screen is not for this person (a rep on the audit
// trail, a manager on the import page): what it is for, who to ask, and a way
// back. Not an error: nothing went wrong.
import Link from "next/link";
import type { ReactNode } from "react";

export function Refusal({
  title,
  children,
  back,
  testId = "admins-only",
}: {
  title: string;
  children: ReactNode;
  back: { href: string; label: string };
  testId?: string;
}) {
  return (
    <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6" data-testid={testId}>
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-700">{children}</p>
      <p className="mt-4 text-sm">
        <Link href={back.href} className="text-blue-800 underline">
          {back.label}
        </Link>
      </p>
    </div>
  );
}
