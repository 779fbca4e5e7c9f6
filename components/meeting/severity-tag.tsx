import type { Severity } from "@/lib/generated/prisma/enums";

// Large enough to read from the back of the room; the severity is written
// out, so colour is never the only signal.
const TONES: Record<Severity | "waived" | "done", string> = {
  stale: "bg-red-100 text-red-950 ring-red-700",
  at_risk: "bg-amber-100 text-amber-950 ring-amber-700",
  nudge: "bg-blue-100 text-blue-950 ring-blue-700",
  warning: "bg-orange-100 text-orange-950 ring-orange-700",
  waived: "bg-violet-100 text-violet-950 ring-violet-700",
  done: "bg-emerald-100 text-emerald-950 ring-emerald-700",
};

export const SEVERITY_WORD: Record<Severity, string> = {
  stale: "Stale",
  at_risk: "At risk",
  nudge: "Nudge",
  warning: "Warning",
};

export function SeverityTag({
  tone,
  label,
  word,
}: {
  tone: Severity | "waived" | "done";
  label: string;
  /** Defaults to the severity's name; "" to show the label alone. */
  word?: string;
}) {
  const prefix = word ?? (tone in SEVERITY_WORD ? SEVERITY_WORD[tone as Severity] : "");
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 text-[15px] leading-6 font-semibold whitespace-nowrap ring-1 ring-inset ${TONES[tone]}`}
    >
      {prefix ? <span className="text-xs font-bold uppercase tracking-wide">{prefix}</span> : null}
      {label}
    </span>
  );
}
