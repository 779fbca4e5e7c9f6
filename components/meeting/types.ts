// What the meeting's components share — the deck's context, the open
// decision prompt, the decision keys — in one module, so the deck, the rep
// screen, the decision prompt and the summary import it rather than each other.
import type { ReactNode } from "react";

export interface MeetingContext {
  orgName: string;
  scope: string;
  asOf: string;
  viewerName: string;
  currency: string;
  reviewId: number | null;
  /** Managers and admins keep deals with a waiver and run reviews; reps cannot. */
  canKeep: boolean;
  canRunReview: boolean;
  /** YYYY-MM-DD bounds of a keep-with-waiver date and its default (asOf + 14 days). */
  waiver: { min: string; max: string; defaultUntil: string; maxDays: number };
  /** What changed since the last meeting (components/changes), rendered on the server: the summary's first block and a line per rep id. */
  changes?: { summary: ReactNode; byRep: Record<string, ReactNode> };
  /** Where "Leave" and Esc go: the team chooser for an admin, the overview for a manager. */
  leaveHref: string;
}

export type DecisionKind = "keep" | "back" | "prospect" | "remove";

export interface OpenPrompt {
  dealId: number;
  kind: DecisionKind;
}

/** The one-key shortcuts on a rep's screen. */
export const DECISION_KEYS: Record<string, DecisionKind | undefined> = {
  k: "keep",
  b: "back",
  p: "prospect",
  r: "remove",
};

export const DECISION_LABELS: Record<DecisionKind, { key: string; label: string }> = {
  keep: { key: "K", label: "Keep with waiver" },
  back: { key: "B", label: "Move back a stage" },
  prospect: { key: "P", label: "Return to prospecting" },
  remove: { key: "R", label: "Remove" },
};
