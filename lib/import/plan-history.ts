// A deal's history in an import: dated states (HubSpot's stage-entry dates,
// a stage-history file's rows) walked in date order and turned into the
// stage moves a person's changes would have recorded, skipping those the
// database already holds.
import type { DealStatus, StageDirection } from "@/lib/generated/prisma/enums";
import { directionBetween } from "@/lib/deals/history";
import type { StageResolver } from "./plan-stages";
import {
  type DealRef,
  type ExistingDeal,
  type FileSummary,
  historyDeal,
  historyKey,
  type PlanDraft,
  refKey,
  type Snapshot,
  type StageRef,
  type StageTarget,
} from "./plan-types";
import type { DealRow } from "./read";

/** The state of a deal at a point of its history. */
export interface DealState {
  stage: StageRef | null;
  status: DealStatus;
}

/** How a deal moved from one state to the next, in the history's words. */
export function transition(
  from: DealState | null,
  to: DealState,
  order: (ref: StageRef | null) => number,
): StageDirection {
  if (!from) return "created";
  if (to.status === "won" || to.status === "lost") return to.status;
  if (to.status === "prospect") return "to_prospect";
  if (from.status !== "open") return "reopened";
  return directionBetween(order(from.stage), order(to.stage));
}

export class DealHistory {
  constructor(
    private readonly snapshot: Snapshot,
    private readonly plan: PlanDraft,
    private readonly stages: StageResolver,
  ) {}

  /** True when the deal's stage-entry dates include the state the file puts it in. */
  entriesReach(row: DealRow, values: { stage: StageRef; status: DealStatus }, stageMap: Record<string, string>) {
    return row.stageEntries.some((entry) => {
      const target = this.stages.resolveStage(entry.stage, stageMap)?.target;
      if (!target) return false;
      if (target.type === "status") return target.status === values.status;
      return values.status === "open" && refKey(this.stages.stageRef(target, null)) === refKey(values.stage);
    });
  }

  /** The open stage of the deal's latest stage-entry date (HubSpot), if any. */
  lastOpenEntry(row: DealRow, stageMap: Record<string, string>): (StageTarget & { type: "stage" | "create" }) | null {
    let last: { at: number; target: StageTarget & { type: "stage" | "create" } } | null = null;
    for (const entry of row.stageEntries) {
      const target = this.stages.resolveStage(entry.stage, stageMap)?.target;
      if (!target || target.type === "status" || (last && last.at > entry.at.getTime())) continue;
      last = { at: entry.at.getTime(), target };
    }
    return last?.target ?? null;
  }

  /** HubSpot's stage-entry dates as stage moves, in date order. True when any new history row is planned. */
  planEntries(
    ref: DealRef,
    existing: ExistingDeal | null,
    row: DealRow,
    stageMap: Record<string, string>,
    summary: FileSummary,
    reason: string,
  ): boolean {
    if (row.stageEntries.length === 0) return false;
    const events: { at: Date; state: DealState }[] = [];
    for (const entry of [...row.stageEntries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const resolved = this.stages.resolveStage(entry.stage, stageMap);
      if (!resolved) continue;
      const target = resolved.target;
      events.push({
        at: entry.at,
        state:
          target.type === "status"
            ? { stage: null, status: target.status }
            : { stage: this.stages.stageRef(target, null), status: "open" },
      });
    }
    return this.planEvents(ref, existing, events, summary, reason) > 0;
  }

  /** Stage moves from a deal's dated states; skips those already recorded. Returns how many are new. */
  private planEvents(
    ref: DealRef,
    existing: ExistingDeal | null,
    events: { at: Date; state: DealState }[],
    summary: FileSummary,
    reason: string,
  ): number {
    const sequence = this.sequence(ref, existing, summary, reason);
    return events.filter((event) => sequence(event.at, event.state)).length;
  }

  /**
   * Walks a deal's history in date order: each call with the next dated state
   * plans the move into it (unless it is already recorded) and returns true
   * when it planned one. A won / lost state keeps the last open stage.
   */
  sequence(ref: DealRef, existing: ExistingDeal | null, summary: FileSummary, reason: string) {
    let previous: DealState | null = null;
    let lastOpenStage: StageRef | null = null;
    return (at: Date, next: DealState): boolean => {
      const state = { ...next };
      if (state.stage === null)
        state.stage = lastOpenStage ?? (existing ? { id: existing.stageId } : this.stages.fallbackStage(state.status));
      if (previous && previous.status === state.status && refKey(previous.stage) === refKey(state.stage)) return false;
      const direction = transition(previous, state, this.stages.stageOrder);
      const key = historyKey("stage", historyDeal(ref), at.getTime(), `${refKey(state.stage)}:${state.status}`);
      let added = false;
      if (!this.snapshot.historyKeys.has(key)) {
        this.plan.moves.push({
          deal: ref,
          fromStage: previous?.stage ?? null,
          toStage: state.stage,
          fromStatus: previous?.status ?? null,
          toStatus: state.status,
          direction,
          at,
          reason,
        });
        this.snapshot.historyKeys.add(key);
        if (direction === "won" || direction === "lost" || direction === "to_prospect" || direction === "reopened") {
          summary.changes.statusChanges++;
        } else if (direction !== "created") summary.changes.stageMoves++;
        summary.changes.historyRows++;
        added = true;
      }
      if (state.status === "open") lastOpenStage = state.stage;
      previous = state;
      return added;
    };
  }
}
