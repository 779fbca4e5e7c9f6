// Deal row planning for an import: each row of a deals file becomes a new
// deal, an update (with the stage moves, close-date and amount changes a
// person's edit would record) or "unchanged" — or is refused with its line.
// A change made in the app wins over an export that has not caught up.
import type { DealStatus } from "@/lib/generated/prisma/enums";
import { isCloseDatePush } from "@/lib/deals/history";
import { normalizeAmount } from "./amounts";
import { isoDay } from "./dates";
import { transition } from "./plan-history";
import type { PlanRun } from "./plan-run";
import { sourceLabel } from "./plan-summary";
import {
  type DealRef,
  dealKey,
  type ExistingDeal,
  type FileSummary,
  lower,
  type NewDeal,
  type StageRef,
  type StageTarget,
} from "./plan-types";
import type { DealRow, ParsedFile } from "./read";

/** A deals file's rows. */
export function planDeals(run: PlanRun, file: ParsedFile, rows: DealRow[], summary: FileSummary) {
  const noteStage = run.stages.tableFor(summary, file.stageMap);
  const owners = new Map<string, string>();
  const accountsSeen = new Set<string>();
  const ownersListed = new Set(summary.owners.map((owner) => owner.id));
  const reason = `Imported from ${sourceLabel(file)} (${file.fileName})`;
  const changeAt = run.options.changeAt;
  const newRepTeam = run.options.newRepTeam ? run.people.teamByName(run.options.newRepTeam) : undefined;
  if (run.stages.firstImport) run.stages.registerFirstStages(file.stageMap, rows);

  for (const row of rows) {
    const problems: string[] = [];
    const existing = run.snapshot.deals.get(dealKey(file.source, row.externalId));
    const earlier = run.dealRows.get(dealKey(file.source, row.externalId));
    if (earlier) {
      summary.rejected.push({
        line: row.line,
        id: row.externalId,
        reason: `Deal id “${row.externalId}” is also on line ${earlier.line} of ${earlier.fileName}: a deal may appear in only one deals file of an import. Remove it from one of them, or import the files one after the other (the later one then updates the deal).`,
      });
      continue;
    }
    run.dealRows.set(dealKey(file.source, row.externalId), { fileName: file.fileName, line: row.line });

    // Where the deal stands: its stage and status. A stage to create is only
    // planned once the row is accepted, so a rejected row creates nothing.
    let stage: StageRef | null = null;
    let stageTarget: (StageTarget & { type: "stage" | "create" }) | null = null;
    let status: DealStatus | null = row.status;
    const stageRow = row.stage ? noteStage(row.stage, "rows") : null;
    const target = stageRow?.target ?? null;
    if (target?.type === "status") {
      if (status && status !== target.status) {
        problems.push(`The stage “${row.stage}” means ${target.status}, but the status says ${status}.`);
      }
      status = target.status;
    } else if (target) {
      stageTarget = target;
      status ??= "open";
    } else if (row.stage && (status === null || status === "open")) {
      problems.push(
        `Stage “${row.stage}” is not one of your stages and has no mapping: map it to a stage, to won / lost / prospect, or create it as a new stage.`,
      );
    }
    for (const entry of row.stageEntries) noteStage(entry.stage, "entries");
    let stageGuessed = false;
    if (status && status !== "open" && !stageTarget) {
      // A closed deal stays in the last stage it reached: its stage-entry dates say which.
      if (existing) stage = { id: existing.stageId };
      else stageTarget = run.history.lastOpenEntry(row, file.stageMap);
      if (!stage && !stageTarget) {
        stage = run.stages.fallbackStage(status);
        stageGuessed = !existing;
      }
      if (!stage && !stageTarget) {
        problems.push("There are no stages yet: map at least one stage value to a new stage.");
      }
    }

    // Owner: someone we know, or a new rep — added only once the row is accepted.
    let ownerId: string | null = null;
    let newOwner = false;
    const ownerKey = lower(row.ownerEmail ?? row.owner);
    const known = owners.get(ownerKey);
    if (known) ownerId = known;
    else {
      const found = run.people.findPerson(row.owner, row.ownerEmail);
      if (typeof found === "string") problems.push(`Owner ${found}`);
      else if (found) ownerId = found.id;
      else newOwner = true;
      if (ownerId) owners.set(ownerKey, ownerId);
    }

    // Dates the status needs.
    // A prospect the source gives no date for stays "date unknown" (null, never
    // invented); one reopened without a date is a new opportunity opened now (SPEC).
    const openedAt =
      row.openedAt ??
      (row.openedAt === undefined && existing?.openedAt != null ? new Date(existing.openedAt) : null) ??
      (existing?.status === "prospect" && existing.openedAt === null && status === "open" ? changeAt : null);
    if (status && status !== "prospect" && !openedAt) {
      problems.push(
        row.openedAt === undefined
          ? "No opened date: the file has no Opened date column, and open, won and lost deals need one."
          : "The Opened date is empty: open, won and lost deals need the date they were opened.",
      );
    }
    let closedAt: Date | null = null;
    if (status === "won" || status === "lost") {
      const keepClosed =
        existing && existing.status === status && existing.closedAt ? new Date(existing.closedAt) : null;
      closedAt =
        row.closedAt ??
        (row.expectedCloseDate ? new Date(row.expectedCloseDate.getTime() + 12 * 3_600_000) : null) ??
        keepClosed;
      if (!closedAt) {
        problems.push(`The deal is ${status} but has no closed date (nor an expected close date to use as one).`);
      } else if (openedAt && closedAt.getTime() < openedAt.getTime() - 86_400_000) {
        problems.push(`The closed date (${isoDay(closedAt)}) is before the opened date (${isoDay(openedAt)}).`);
      }
    }
    if (problems.length || !status || (!stage && !stageTarget) || (!ownerId && !newOwner)) {
      summary.rejected.push({
        line: row.line,
        id: row.externalId,
        reason: problems.join(" ") || "The row is incomplete.",
      });
      continue;
    }
    // The row's probability says where a new stage goes, not a closed deal's last stage.
    if (stageTarget) stage = run.stages.stageRef(stageTarget, stageTarget === target ? row.probability : null);
    if (!stage) continue;
    if (!ownerId) {
      ownerId = run.people.addPerson(row.owner, row.ownerEmail, "rep", newRepTeam?.id ?? null, summary).id;
      owners.set(ownerKey, ownerId);
    }

    const account = row.account === undefined ? (existing?.accountName ?? null) : row.account;
    if (account && !accountsSeen.has(lower(account))) accountsSeen.add(lower(account));
    const values: Omit<NewDeal, "source" | "externalId"> = {
      name:
        row.name ?? (row.name === undefined && existing ? existing.name : `${account ?? "Deal"} (${row.externalId})`),
      accountName: account,
      ownerId,
      amount: row.amount ?? existing?.amount ?? "0.00",
      currency:
        row.currency ??
        (row.currency === undefined && existing ? existing.currency : (file.currency ?? run.snapshot.currency)),
      stage,
      status,
      openedAt: openedAt ?? (existing?.openedAt != null ? new Date(existing.openedAt) : null),
      expectedCloseDate:
        row.expectedCloseDate === undefined
          ? existing?.expectedCloseDate
            ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`)
            : null
          : row.expectedCloseDate,
      closedAt,
      crmLastActivityAt:
        row.lastActivityAt ?? (existing?.crmLastActivityAt ? new Date(existing.crmLastActivityAt) : null),
      nextStep: row.nextStep === undefined ? (existing?.nextStep ?? null) : row.nextStep,
      lostReason:
        status === "lost" ? (row.lostReason === undefined ? (existing?.lostReason ?? null) : row.lostReason) : null,
    };
    const owner = run.people.byId(ownerId);
    if (owner && !ownersListed.has(owner.id)) {
      ownersListed.add(owner.id);
      summary.owners.push({ id: owner.id, name: owner.name });
    }

    const ref: DealRef = existing ? { id: existing.id } : { source: file.source, externalId: row.externalId };
    const historyCreated = run.history.planEntries(ref, existing ?? null, row, file.stageMap, summary, reason);

    if (!existing) {
      const deal: NewDeal = { source: file.source, externalId: row.externalId, ...values };
      run.plan.newDeals.push(deal);
      run.plannedDeals.set(dealKey(file.source, row.externalId), deal);
      if (stageGuessed) run.guessedStages.add(dealKey(file.source, row.externalId));
      // The file's last-activity date reaches the rollup through refreshRollups.
      if (historyCreated || values.crmLastActivityAt) run.touch(ref);
      summary.counts.new++;
      continue;
    }
    const changed = planDealUpdate(run, existing, values, row, summary, reason, changeAt, file.stageMap);
    if (changed || historyCreated) run.touch(ref);
    if (changed) summary.counts.updated++;
    else summary.counts.unchanged++;
  }
  summary.newAccounts = [...accountsSeen].length;
  run.stages.refreshNewStages();
  summary.newStages = run.plan.newStages.map((stage) => stage.name);
}

/** Compares a deal with the file's values; plans the update and its history. True when something changes. */
function planDealUpdate(
  run: PlanRun,
  existing: ExistingDeal,
  values: Omit<NewDeal, "source" | "externalId">,
  row: DealRow,
  summary: FileSummary,
  reason: string,
  changeAt: Date,
  stageMap: Record<string, string>,
): boolean {
  const ref: DealRef = { id: existing.id };
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  const kept: string[] = [];
  const final = { ...values };

  // Stage and status.
  const stageId = "id" in values.stage ? values.stage.id : null;
  const sameState = existing.status === values.status && (values.status !== "open" || stageId === existing.stageId);
  if (!sameState) {
    const person = existing.personStage;
    const fileShowsOldState =
      person !== null &&
      person.fromStatus === values.status &&
      (values.status !== "open" || person.fromStageId === stageId);
    if (fileShowsOldState) {
      kept.push("stage");
      final.stage = { id: existing.stageId };
      final.status = existing.status;
      final.closedAt = existing.closedAt === null ? null : new Date(existing.closedAt);
      final.lostReason = existing.lostReason;
    } else {
      const fromStage: StageRef = { id: existing.stageId };
      const toStage =
        values.status === "open" || !("id" in values.stage) || stageId !== existing.stageId ? values.stage : fromStage;
      const coveredByEntries = run.history.entriesReach(row, values, stageMap);
      if (!coveredByEntries) {
        const direction = transition(
          { stage: fromStage, status: existing.status },
          { stage: toStage, status: values.status },
          run.stages.stageOrder,
        );
        run.plan.moves.push({
          deal: ref,
          fromStage,
          toStage,
          fromStatus: existing.status,
          toStatus: values.status,
          direction,
          at: (values.status === "won" || values.status === "lost") && values.closedAt ? values.closedAt : changeAt,
          reason,
        });
      }
      // A move the stage-entry dates record was counted with them.
      if (!coveredByEntries) {
        if (existing.status !== values.status) summary.changes.statusChanges++;
        else summary.changes.stageMoves++;
      }
      before.stage = run.stages.stateLabel({ id: existing.stageId }, existing.status);
      after.stage = run.stages.stateLabel(values.stage, values.status);
    }
  } else if (values.status !== "open" && stageId !== null && stageId !== existing.stageId) {
    // A closed deal's last stage reached: corrected quietly, no move.
    before.stage = run.stages.stateLabel({ id: existing.stageId }, existing.status);
    after.stage = run.stages.stateLabel(values.stage, values.status);
  }

  // Expected close date.
  const fileClose = values.expectedCloseDate ? isoDay(values.expectedCloseDate) : null;
  if (fileClose !== existing.expectedCloseDate) {
    if (existing.personCloseDate && existing.personCloseDate.fromDate === fileClose) {
      kept.push("expected close date");
      final.expectedCloseDate = existing.expectedCloseDate
        ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`)
        : null;
    } else {
      const fromDate = existing.expectedCloseDate ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`) : null;
      run.plan.closeDateEdits.push({ deal: ref, fromDate, toDate: values.expectedCloseDate, at: changeAt });
      if (isCloseDatePush(fromDate, values.expectedCloseDate)) summary.changes.closeDatePushes++;
      else summary.changes.closeDateEdits++;
      before.expectedCloseDate = existing.expectedCloseDate;
      after.expectedCloseDate = fileClose;
    }
  }

  // Amount.
  const amount = normalizeAmount(values.amount);
  if (amount !== normalizeAmount(existing.amount)) {
    const person = existing.personAmount;
    if (person?.fromAmount !== null && person !== null && normalizeAmount(person.fromAmount) === amount) {
      kept.push("amount");
      final.amount = existing.amount;
    } else {
      run.plan.amountEdits.push({ deal: ref, fromAmount: existing.amount, toAmount: amount, at: changeAt });
      summary.changes.amountChanges++;
      before.amount = existing.amount;
      after.amount = amount;
    }
  }

  // Plain fields.
  const plain: [string, string | null, string | null][] = [
    ["name", existing.name, final.name],
    ["account", existing.accountName, final.accountName],
    ["ownerId", existing.ownerId, final.ownerId],
    ["currency", existing.currency, final.currency],
    [
      "openedAt",
      existing.openedAt === null ? null : new Date(existing.openedAt).toISOString(),
      final.openedAt?.toISOString() ?? null,
    ],
    [
      "closedAt",
      existing.closedAt === null ? null : new Date(existing.closedAt).toISOString(),
      final.closedAt?.toISOString() ?? null,
    ],
    [
      "crmLastActivityAt",
      existing.crmLastActivityAt === null ? null : new Date(existing.crmLastActivityAt).toISOString(),
      final.crmLastActivityAt?.toISOString() ?? null,
    ],
    ["nextStep", existing.nextStep, final.nextStep],
    ["lostReason", existing.lostReason, final.lostReason],
  ];
  for (const [field, was, now] of plain) {
    const same =
      field === "account" ? (was === null ? now === null : now !== null && lower(was) === lower(now)) : was === now;
    if (!same) {
      before[field] = was;
      after[field] = now;
    }
  }
  if (after.account === undefined) final.accountName = existing.accountName;
  if (kept.length) {
    summary.changes.keptHere++;
    summary.kept.push({ line: row.line, id: row.externalId, what: kept.join(", ") });
  }
  if (Object.keys(after).length === 0) return false;
  run.plan.dealUpdates.push({ id: existing.id, version: existing.version, ...final, before, after });
  return true;
}
