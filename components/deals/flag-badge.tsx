// A flag as a badge: the rule's name in text (colour = severity, never the
// only signal), its one-sentence explanation on hover and on keyboard focus:
// one tooltip that is also the badge's accessible description (the page
// carries the sentence once, not again in a title attribute).
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { DealFlagView, WaiverView } from "@/lib/deals/deal-row-view";
import { formatDate } from "@/lib/format";
import { severityText, waiverText } from "./wording";

export function FlagBadge({
  flag,
  id,
  align = "left",
}: {
  flag: DealFlagView;
  id: string;
  /** Which edge of the badge the tooltip lines up with (right for badges at the right of a card). */
  align?: "left" | "right";
}) {
  const description = `${severityText(flag.severity)}: ${flag.explanation}`;
  return (
    <span className="group relative inline-flex">
      <span
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can read the explanation
        tabIndex={0}
        aria-describedby={id}
        className="rounded focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700"
      >
        <Badge tone={flag.severity}>{flag.label}</Badge>
      </span>
      <span
        id={id}
        role="tooltip"
        // display:none until hovered or focused, so a tooltip near the edge never widens the page at
        // rest; still the badge's accessible description (aria-describedby reads hidden text).
        className={`flag-tooltip ${align === "right" ? "right-0" : "left-0"}`}
      >
        {description}
      </span>
    </span>
  );
}

export function FlagBadges({
  flags,
  idPrefix,
  align,
}: {
  flags: DealFlagView[];
  idPrefix: string;
  align?: "left" | "right";
}) {
  if (flags.length === 0) return null;
  return (
    <span className="flex flex-wrap gap-1">
      {flags.map((flag) => (
        <FlagBadge key={flag.rule} flag={flag} id={`${idPrefix}-${flag.rule}`} align={align} />
      ))}
    </span>
  );
}

/**
 * A deal's flags in a table cell: the worst one as a badge (flags arrive worst
 * first), `more` in place of the others (a link or a button, as the table
 * opens them), and the waivers in effect.
 */
export function WorstFlagCell({
  deal,
  idPrefix,
  more,
}: {
  deal: { id: number; flags: DealFlagView[]; waivers: WaiverView[] };
  idPrefix: string;
  /** Shown when the deal has more than one flag. */
  more: ReactNode;
}) {
  const [worst, ...others] = deal.flags;
  return (
    <span className="flex flex-wrap items-center gap-1">
      {worst ? <FlagBadge flag={worst} id={`${idPrefix}-${deal.id}-${worst.rule}`} align="right" /> : null}
      {others.length > 0 ? more : null}
      {deal.waivers.map((waiver) => (
        <WaiverBadge key={waiver.id} waiver={waiver} />
      ))}
    </span>
  );
}

/** A waiver in effect: who granted it, until when and why — shown wherever the deal is. */
export function WaiverBadge({ waiver }: { waiver: WaiverView }) {
  const label = waiver.kind === "manager_keep" ? "Kept" : "Waiting on buyer";
  return (
    <span title={waiverText(waiver)}>
      <Badge tone="waived">
        {label} until {formatDate(waiver.until)}
      </Badge>
    </span>
  );
}

export function WaiverNote({ waiver }: { waiver: WaiverView }) {
  return (
    <p className="text-sm text-violet-950">
      <Badge tone="waived">{waiver.kind === "manager_keep" ? "Kept by a manager" : "Waiting on the buyer"}</Badge>{" "}
      {waiverText(waiver)}
    </p>
  );
}
