import type { ReactNode } from "react";

export type Tone = "stale" | "at_risk" | "nudge" | "warning" | "healthy" | "neutral" | "waived";

// Colour is never the only signal: every badge carries its text. The looks
// are classes in app/globals.css: tables repeat badges in every row, and a
// short class keeps the pages' HTML small.
const TONES: Record<Tone, string> = {
  stale: "badge badge-stale",
  at_risk: "badge badge-at-risk",
  nudge: "badge badge-nudge",
  warning: "badge badge-warning",
  healthy: "badge badge-healthy",
  neutral: "badge badge-neutral",
  waived: "badge badge-waived",
};

export function Badge({ tone = "neutral", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={TONES[tone]}>
      {children}
    </span>
  );
}
