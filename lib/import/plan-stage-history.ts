// Stage-history file planning (e.g. Salesforce's OpportunityHistory): each
// deal's rows in date order become the stage moves, close-date pushes and
// amount changes not yet recorded.
import { isCloseDatePush } from "@/lib/deals/history";
import { normalizeAmount } from "./amounts";
import { isoDay } from "./dates";
import type { DealState } from "./plan-history";
import type { PlanRun } from "./plan-run";
import { sourceLabel } from "./plan-summary";
import { dealKey, type FileSummary, historyDeal, historyKey, type StageRef, type StageTarget } from "./plan-types";
import type { ParsedFile, StageEventRow } from "./read";

export function planStageHistory(run: PlanRun, file: ParsedFile, rows: StageEventRow[], summary: FileSummary) {
  const noteStage = run.stages.tableFor(summary, file.stageMap);
  const reason = `Imported from ${sourceLabel(file)} (${file.fileName})`;
  const byDeal = new Map<string, StageEventRow[]>();
  for (const row of rows) {
    const stageRow = noteStage(row.stage, "entries");
    if (!stageRow.target) {
      summary.rejected.push({
        line: row.line,
        id: row.dealId,
        reason: `Stage “${row.stage}” is not one of your stages and has no mapping: map it to a stage, to won / lost / prospect, or create it as a new stage.`,
      });
      continue;
    }
    if (!run.findDeal(file.source, row.dealId)) {
      summary.rejected.push({
        line: row.line,
        id: row.dealId,
        reason: `Deal “${row.dealId}” is not in the database or in this import: import its deals file first (or in the same run).`,
      });
      continue;
    }
    const list = byDeal.get(row.dealId) ?? [];
    list.push(row);
    byDeal.set(row.dealId, list);
  }
  for (const [dealId, dealRows] of byDeal) {
    const found = run.findDeal(file.source, dealId);
    if (!found) continue;
    const { ref, existing } = found;
    dealRows.sort((a, b) => a.at.getTime() - b.at.getTime() || a.line - b.line);
    const step = run.history.sequence(ref, existing, summary, reason);
    let newRows = 0;
    let lastOpenStage: StageRef | null = null;
    let previousClose: Date | null | undefined;
    let previousAmount: string | null | undefined;
    for (const row of dealRows) {
      const target = run.stages.resolveStage(row.stage, file.stageMap)?.target as StageTarget;
      const state: DealState =
        target.type === "status"
          ? { stage: null, status: target.status }
          : { stage: run.stages.stageRef(target, null), status: "open" };
      let added = step(row.at, state) ? 1 : 0;
      if (state.status === "open") lastOpenStage = state.stage;

      if (row.closeDate !== undefined) {
        const from = row.prevCloseDate !== undefined ? row.prevCloseDate : previousClose;
        const fromDay = from ? isoDay(from) : null;
        const toDay = row.closeDate ? isoDay(row.closeDate) : null;
        // The deal's first row without a previous value is where the close date started, not a change.
        const initial = from === null && previousClose === undefined;
        if (from !== undefined && !initial && fromDay !== toDay) {
          const key = historyKey("close", historyDeal(ref), row.at.getTime(), toDay ?? "none");
          if (!run.snapshot.historyKeys.has(key)) {
            run.plan.closeDateEdits.push({ deal: ref, fromDate: from, toDate: row.closeDate, at: row.at });
            run.snapshot.historyKeys.add(key);
            if (isCloseDatePush(from, row.closeDate)) summary.changes.closeDatePushes++;
            else summary.changes.closeDateEdits++;
            summary.changes.historyRows++;
            added++;
          }
        }
        previousClose = row.closeDate;
      }
      if (row.amount !== undefined && row.amount !== null) {
        const from = row.prevAmount !== undefined ? row.prevAmount : previousAmount;
        const initial = from === null && previousAmount === undefined;
        if (
          from !== undefined &&
          !initial &&
          (from === null || normalizeAmount(from) !== normalizeAmount(row.amount))
        ) {
          const key = historyKey("amount", historyDeal(ref), row.at.getTime(), normalizeAmount(row.amount));
          if (!run.snapshot.historyKeys.has(key)) {
            run.plan.amountEdits.push({
              deal: ref,
              fromAmount: from,
              toAmount: normalizeAmount(row.amount),
              at: row.at,
            });
            run.snapshot.historyKeys.add(key);
            summary.changes.amountChanges++;
            summary.changes.historyRows++;
            added++;
          }
        }
        previousAmount = row.amount;
      }
      if (added > 0) {
        newRows++;
        summary.counts.new++;
      } else summary.counts.unchanged++;
    }
    if (newRows > 0) run.touch(ref);
    // A new closed deal whose file named no stage stays in the last stage its history reached.
    const planned = run.plannedDeals.get(dealKey(file.source, dealId));
    if (planned && lastOpenStage && run.guessedStages.has(dealKey(file.source, dealId))) {
      planned.stage = lastOpenStage;
      run.guessedStages.delete(dealKey(file.source, dealId));
    }
  }
}
