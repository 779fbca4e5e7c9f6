import type { ReactNode } from "react";

export type Tone = "stale" | "at_risk" | "nudge" | "warning" | "healthy" | "neutral" | "waived";

// Colour is never the only signal: every badge carries its text.
const TONES: Record<Tone, string> = {
  stale: "bg-red-100 text-red-900 ring-red-300",
  at_risk: "bg-amber-100 text-amber-900 ring-amber-300",
  nudge: "bg-blue-100 text-blue-900 ring-blue-300",
  warning: "bg-orange-100 text-orange-900 ring-orange-300",
  healthy: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  neutral: "bg-slate-100 text-slate-800 ring-slate-300",
  waived: "bg-violet-100 text-violet-900 ring-violet-300",
};

export function Badge({ tone = "neutral", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}
