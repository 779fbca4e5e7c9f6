// Writes a planned import inside the caller's transaction: teams and people,
// stages, accounts, new deals (set-based: one JSON document per 20,000 rows),
// the history rows of every change (the rows lib/deals/history.ts writes for a
// person's change, so an imported one looks exactly the same), activities,
// then the changed deals with their rollups recomputed in the same statement
// (one new version of each deal row), the other deals' rollups, the as-of
// date, flags of the changed deals and the audit trail.
// Never reads the session; never commits — the caller's transaction makes the
// whole import all-or-nothing.
import { recordAudit, recordAudits } from "@/lib/audit/mutations";
import type { Transaction } from "@/lib/db";
import {
  isCloseDatePush,
  type RollupDeal,
  type RollupPart,
  refreshRollups,
  rollupAssignments,
} from "@/lib/deals/history";
import { reevaluateDeals } from "@/lib/reviews/reevaluate";
import { planSize } from "./plan";
import { type DealRef, type DealUpdate, dealKey, type NewDeal, type Plan, type StageRef } from "./plan-types";
import { chunks, day, instant, pgArray, prismaQuery } from "@/lib/db/bulk-sql";
import { analyzeWhenGrown } from "@/lib/db/statistics";
import { isoDay } from "./dates";

export interface ApplyContext {
  /** Who imports; null for the command line. */
  actorId: string | null;
  now: Date;
  /** The date flags are evaluated as of after the import. */
  asOf: Date;
  /** Fix the organisation's as-of date to this instant; undefined: leave it. */
  fixAsOf?: Date;
  /** For the audit event. */
  fileNames: string[];
  via: "page" | "command line" | "CRM sync";
}

export type ApplyStep =
  | "people"
  | "stages"
  | "accounts"
  | "deals"
  | "history"
  | "activities"
  | "rollups"
  | "flags"
  | "audit";

export interface ApplyProgress {
  step: ApplyStep;
  done: number;
  total: number;
}

const ALL_PARTS: RollupPart[] = ["activity", "stage", "pushes"];

/** A changed deal's new values in the UPDATE below (json_to_recordset AS t), for its rollups. */
const NEW_DEAL_VALUES: RollupDeal = {
  id: "o.id",
  stageId: "t.stg",
  status: `t.st::"DealStatus"`,
  openedAt: "t.op",
  crmLastActivityAt: "t.la",
};

/** The columns of dealFields' records, with their types, for json_to_recordset. */
const DEAL_FIELDS = `nm text, acc int, own text, amt numeric, cur text, stg int, st text, op timestamptz, ecd date,
  cl timestamptz, ns text, lr text, la timestamptz`;

export async function applyPlan(
  tx: Transaction,
  plan: Plan,
  ctx: ApplyContext,
  onProgress: (progress: ApplyProgress) => void | Promise<void> = () => undefined,
): Promise<void> {
  const exec = (sql: string, ...params: unknown[]) => tx.$executeRawUnsafe(sql, ...params);
  const query = <Row>(sql: string, ...params: unknown[]) => tx.$queryRawUnsafe<Row[]>(sql, ...params);

  // Re-importing files the database already holds changes nothing — not even the audit trail.
  const settings = await tx.orgSettings.findUnique({ where: { id: 1 }, select: { asOf: true } });
  const asOfChanges = ctx.fixAsOf !== undefined && settings?.asOf?.getTime() !== ctx.fixAsOf.getTime();
  if (planSize(plan) === 0 && !asOfChanges) return;

  // People and teams: a few rows, plain Prisma.
  await onProgress({ step: "people", done: 0, total: plan.newPeople.length + plan.personUpdates.length });
  if (plan.newTeams.length) await tx.team.createMany({ data: plan.newTeams });
  if (plan.newPeople.length) await tx.user.createMany({ data: plan.newPeople });
  for (const update of plan.personUpdates) {
    await tx.user.update({
      where: { id: update.id },
      data: { email: update.email, role: update.role, teamId: update.teamId, startDate: update.startDate },
    });
  }
  // Team.managerId is unique: clear the old managers first, then set the new ones.
  const managerTeams = plan.teamManagers.map((entry) => entry.teamId);
  if (managerTeams.length) {
    await tx.team.updateMany({ where: { id: { in: managerTeams } }, data: { managerId: null } });
    for (const entry of plan.teamManagers) {
      await tx.team.update({ where: { id: entry.teamId }, data: { managerId: entry.managerId } });
    }
  }
  await recordAudits(tx, [
    ...plan.newPeople.map((person) => ({
      actorId: ctx.actorId,
      action: "user.import_create",
      entityType: "user" as const,
      entityId: person.id,
      after: {
        name: person.name,
        email: person.email,
        role: person.role,
        teamId: person.teamId,
        startDate: person.startDate ? isoDay(person.startDate) : null,
      },
      at: ctx.now,
    })),
    ...plan.personUpdates.map((update) => ({
      actorId: ctx.actorId,
      action: "user.import_update",
      entityType: "user" as const,
      entityId: update.id,
      before: update.before,
      after: update.after,
      at: ctx.now,
    })),
    ...plan.teamManagers.map((entry) => ({
      actorId: ctx.actorId,
      action: "team.import_manager",
      entityType: "team" as const,
      entityId: entry.teamId,
      before: { managerId: entry.previous },
      after: { managerId: entry.managerId },
      at: ctx.now,
    })),
  ]);

  // Stages the person chose to create.
  await onProgress({ step: "stages", done: 0, total: plan.newStages.length });
  const stageIds = new Map<string, number>();
  for (const stage of plan.newStages) {
    const created = await tx.stage.create({
      data: { name: stage.name, order: stage.order, probability: stage.probability },
    });
    stageIds.set(stage.name.toLowerCase(), created.id);
  }
  const stageId = (ref: StageRef | null): number | null => {
    if (!ref) return null;
    if ("id" in ref) return ref.id;
    const id = stageIds.get(ref.newName.toLowerCase());
    if (id === undefined) throw new Error(`The new stage “${ref.newName}” was not created.`);
    return id;
  };

  // Accounts by name: existing ones reused (case-insensitively), the rest created.
  const accountNames = new Map<string, string>();
  for (const deal of [...plan.newDeals, ...plan.dealUpdates]) {
    if (deal.accountName) accountNames.set(deal.accountName.trim().toLowerCase(), deal.accountName.trim());
  }
  await onProgress({ step: "accounts", done: 0, total: accountNames.size });
  const accountIds = new Map<string, number>();
  for (const batch of chunks([...accountNames.entries()])) {
    // A join, not `= ANY(array)`: that compares every account with every name (minutes for 20,000 of each).
    const found = await query<{ id: number; key: string }>(
      `SELECT DISTINCT ON (lower(a.name)) a.id, lower(a.name) AS key
         FROM "Account" a JOIN unnest($1::text::text[]) AS k(key) ON lower(a.name) = k.key
        ORDER BY lower(a.name), a.id`,
      pgArray(batch.map(([key]) => key)),
    );
    for (const row of found) accountIds.set(row.key, row.id);
    const missing = batch.filter(([key]) => !accountIds.has(key)).map(([, name]) => name);
    if (missing.length) {
      const created = await query<{ id: number; name: string }>(
        `INSERT INTO "Account" (name) SELECT n FROM unnest($1::text::text[]) AS t(n)
           ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name`,
        pgArray(missing),
      );
      for (const row of created) accountIds.set(row.name.toLowerCase(), row.id);
    }
  }
  const accountId = (name: string | null) => (name ? (accountIds.get(name.trim().toLowerCase()) ?? null) : null);

  // What new and changed deals both write: one JSON record per deal, read by
  // json_to_recordset with DEAL_FIELDS' column types (one JSON document per
  // batch travels into PGlite faster than a text array per column).
  const dealFields = (d: NewDeal | DealUpdate) => ({
    nm: d.name,
    acc: accountId(d.accountName),
    own: d.ownerId,
    amt: d.amount,
    cur: d.currency,
    stg: stageId(d.stage),
    st: d.status,
    op: instant(d.openedAt),
    ecd: day(d.expectedCloseDate),
    cl: instant(d.closedAt),
    ns: d.nextStep,
    lr: d.lostReason,
    la: instant(d.crmLastActivityAt),
  });

  // New deals.
  const dealIds = new Map<string, number>();
  const totalDeals = plan.newDeals.length;
  let dealsDone = 0;
  await onProgress({ step: "deals", done: 0, total: totalDeals });
  for (const batch of chunks(plan.newDeals)) {
    const rows = await query<{ id: number; source: string; external_id: string }>(
      `INSERT INTO "Opportunity" (source, "externalId", name, "accountId", "ownerId", amount, currency, "stageId", status,
                                  "openedAt", "expectedCloseDate", "closedAt", "nextStep", "lostReason", "crmLastActivityAt",
                                  "stageEnteredAt", "updatedAt")
       SELECT src, ext, nm, acc, own, amt, cur, stg, st::"DealStatus", op, ecd, cl, ns, lr, la, NULL, $2::timestamptz
         FROM json_to_recordset($1::text::json) AS t(src text, ext text, ${DEAL_FIELDS})
       RETURNING id, source, "externalId" AS external_id`,
      JSON.stringify(batch.map((d) => ({ src: d.source, ext: d.externalId, ...dealFields(d) }))),
      ctx.now,
    );
    for (const row of rows) dealIds.set(dealKey(row.source, row.external_id), row.id);
    dealsDone += batch.length;
    await onProgress({ step: "deals", done: dealsDone, total: totalDeals });
  }
  const dealId = (ref: DealRef): number => {
    if ("id" in ref) return ref.id;
    const id = dealIds.get(dealKey(ref.source, ref.externalId));
    if (id === undefined) throw new Error(`Deal ${ref.externalId} was not created.`);
    return id;
  };

  // History: the same rows a person's change writes (byId null: made by an
  // import), set-based — Prisma's createMany took a minute for 400,000 rows.
  const historyTotal = plan.moves.length + plan.closeDateEdits.length + plan.amountEdits.length;
  let historyDone = 0;
  await onProgress({ step: "history", done: 0, total: historyTotal });
  for (const batch of chunks(plan.moves)) {
    await exec(
      `INSERT INTO "StageChange" ("opportunityId", "fromStageId", "toStageId", "fromStatus", "toStatus", direction, at, reason)
       SELECT opp, fs, ts, fst::"DealStatus", tst::"DealStatus", dir::"StageDirection", at, rs
         FROM json_to_recordset($1::text::json)
              AS t(opp int, fs int, ts int, fst text, tst text, dir text, at timestamptz, rs text)`,
      JSON.stringify(
        batch.map((move) => ({
          opp: dealId(move.deal),
          fs: stageId(move.fromStage),
          ts: stageId(move.toStage),
          fst: move.fromStatus,
          tst: move.toStatus,
          dir: move.direction,
          at: instant(move.at),
          rs: move.reason,
        })),
      ),
    );
    historyDone += batch.length;
    await onProgress({ step: "history", done: historyDone, total: historyTotal });
  }
  for (const batch of chunks(plan.closeDateEdits)) {
    await exec(
      `INSERT INTO "CloseDateChange" ("opportunityId", "fromDate", "toDate", "isPush", at)
       SELECT opp, fd, td, push, at
         FROM json_to_recordset($1::text::json) AS t(opp int, fd date, td date, push boolean, at timestamptz)`,
      JSON.stringify(
        batch.map((edit) => ({
          opp: dealId(edit.deal),
          fd: day(edit.fromDate),
          td: day(edit.toDate),
          push: isCloseDatePush(edit.fromDate, edit.toDate),
          at: instant(edit.at),
        })),
      ),
    );
    historyDone += batch.length;
    await onProgress({ step: "history", done: historyDone, total: historyTotal });
  }
  for (const batch of chunks(plan.amountEdits)) {
    await exec(
      `INSERT INTO "AmountChange" ("opportunityId", "fromAmount", "toAmount", at)
       SELECT opp, fa, ta, at
         FROM json_to_recordset($1::text::json) AS t(opp int, fa numeric, ta numeric, at timestamptz)`,
      JSON.stringify(
        batch.map((edit) => ({ opp: dealId(edit.deal), fa: edit.fromAmount, ta: edit.toAmount, at: instant(edit.at) })),
      ),
    );
    historyDone += batch.length;
    await onProgress({ step: "history", done: historyDone, total: historyTotal });
  }
  await onProgress({ step: "history", done: historyTotal, total: historyTotal });

  // Activities.
  const activityTotal = plan.newActivities.length + plan.activityUpdates.length;
  let activitiesDone = 0;
  await onProgress({ step: "activities", done: 0, total: activityTotal });
  for (const batch of chunks(plan.newActivities)) {
    await exec(
      `INSERT INTO "Activity" ("opportunityId", type, side, at, summary, source, "externalId")
       SELECT opp, ty::"ActivityType", sd::"ActivitySide", at, sm, src, ext
         FROM unnest($1::text::int[], $2::text::text[], $3::text::text[], $4::text::timestamptz[], $5::text::text[],
                     $6::text::text[], $7::text::text[]) AS t(opp, ty, sd, at, sm, src, ext)`,
      pgArray(batch.map((a) => dealId(a.deal))),
      pgArray(batch.map((a) => a.type)),
      pgArray(batch.map((a) => a.side)),
      pgArray(batch.map((a) => instant(a.at))),
      pgArray(batch.map((a) => a.summary)),
      pgArray(batch.map((a) => a.source)),
      pgArray(batch.map((a) => a.externalId)),
    );
    activitiesDone += batch.length;
    await onProgress({ step: "activities", done: activitiesDone, total: activityTotal });
  }
  // The deals updated activities leave, if they move: their activity rollups change too.
  const movedActivityDeals: number[] = [];
  for (const batch of chunks(plan.activityUpdates)) {
    const before = await query<{ deal: number }>(
      `SELECT DISTINCT a."opportunityId" AS deal FROM unnest($1::text::int[]) AS t(id) JOIN "Activity" a ON a.id = t.id`,
      pgArray(batch.map((a) => a.id)),
    );
    movedActivityDeals.push(...before.map((row) => row.deal));
  }
  for (const batch of chunks(plan.activityUpdates)) {
    await exec(
      `UPDATE "Activity" AS a SET "opportunityId" = t.opp, type = t.ty::"ActivityType", side = t.sd::"ActivitySide",
              at = t.at, summary = t.sm
         FROM unnest($1::text::int[], $2::text::int[], $3::text::text[], $4::text::text[], $5::text::timestamptz[],
                     $6::text::text[]) AS t(id, opp, ty, sd, at, sm)
        WHERE a.id = t.id`,
      pgArray(batch.map((a) => a.id)),
      pgArray(batch.map((a) => dealId(a.deal))),
      pgArray(batch.map((a) => a.type)),
      pgArray(batch.map((a) => a.side)),
      pgArray(batch.map((a) => instant(a.at))),
      pgArray(batch.map((a) => a.summary)),
    );
    activitiesDone += batch.length;
    await onProgress({ step: "activities", done: activitiesDone, total: activityTotal });
  }

  // The planner's statistics of each table this import grew by a tenth: the
  // evaluation and the reports below read them (PGlite never analyzes by
  // itself). Only the columns queries filter and join on, from a small sample.
  const grown: [string, number, string[]][] = [
    ["Opportunity", plan.newDeals.length, ["id", "source", "externalId", "ownerId", "status", "stageId", "openedAt"]],
    ["StageChange", plan.moves.length, ["opportunityId", "at", "direction", "toStageId", "toStatus"]],
    ["CloseDateChange", plan.closeDateEdits.length, ["opportunityId", "at", "isPush"]],
    ["AmountChange", plan.amountEdits.length, ["opportunityId", "at"]],
    ["Activity", plan.newActivities.length, ["opportunityId", "at", "side", "source", "externalId"]],
  ];
  for (const [table, written, columns] of grown) {
    if (written > 0) await analyzeWhenGrown(prismaQuery(tx), [{ table, columns }], written);
  }

  // Rollups of every deal whose history, activities or stage changed — only
  // the columns that can have changed: a re-import that moves close dates
  // recounts pushes, not 2,000,000 activities' maxima.
  const rollupParts = new Map<number, Set<RollupPart>>();
  const needs = (id: number, part: RollupPart) => {
    const parts = rollupParts.get(id) ?? new Set<RollupPart>();
    parts.add(part);
    rollupParts.set(id, parts);
  };
  for (const ref of plan.touched) if (!("id" in ref)) for (const part of ALL_PARTS) needs(dealId(ref), part);
  for (const activity of [...plan.newActivities, ...plan.activityUpdates]) needs(dealId(activity.deal), "activity");
  // An activity moved to another deal changes the rollups of the deal it left.
  for (const id of movedActivityDeals) needs(id, "activity");
  for (const move of plan.moves) needs(dealId(move.deal), "stage");
  for (const edit of plan.closeDateEdits) needs(dealId(edit.deal), "pushes");
  for (const deal of plan.dealUpdates) {
    if ("crmLastActivityAt" in deal.after) needs(deal.id, "activity");
    if ("stage" in deal.after || "openedAt" in deal.after) needs(deal.id, "stage");
  }
  const partsKey = (parts: Set<RollupPart> | undefined) => ALL_PARTS.filter((part) => parts?.has(part)).join(",");
  const keyParts = (key: string) => (key ? (key.split(",") as RollupPart[]) : []);

  // Changed deals: every column from the plan, the version bumped so open
  // forms notice, and their rollups recomputed in the same statement (the
  // history and activities are written above): one new version of each deal
  // row, not two — each version writes every index of the deal table again.
  const updatesByParts = new Map<string, DealUpdate[]>();
  for (const deal of plan.dealUpdates) {
    const key = partsKey(rollupParts.get(deal.id));
    const group = updatesByParts.get(key);
    if (group) group.push(deal);
    else updatesByParts.set(key, [deal]);
    rollupParts.delete(deal.id);
  }
  const rollupTotal = plan.dealUpdates.length + rollupParts.size;
  await onProgress({ step: "rollups", done: 0, total: rollupTotal });
  let rolled = 0;
  for (const [key, updates] of updatesByParts) {
    const rollups = rollupAssignments(keyParts(key), NEW_DEAL_VALUES);
    for (const batch of chunks(updates)) {
      await exec(
        `UPDATE "Opportunity" AS o SET
           name = t.nm, "accountId" = t.acc, "ownerId" = t.own, amount = t.amt, currency = t.cur, "stageId" = t.stg,
           status = t.st::"DealStatus", "openedAt" = t.op, "expectedCloseDate" = t.ecd, "closedAt" = t.cl,
           "nextStep" = t.ns, "lostReason" = t.lr, "crmLastActivityAt" = t.la, version = o.version + 1,
           "updatedAt" = $2::timestamptz${rollups.map((set) => `,\n           ${set}`).join("")}
         FROM json_to_recordset($1::text::json) AS t(id int, ${DEAL_FIELDS})
         WHERE o.id = t.id`,
        JSON.stringify(batch.map((d) => ({ id: d.id, ...dealFields(d) }))),
        ctx.now,
      );
      rolled += batch.length;
      await onProgress({ step: "rollups", done: rolled, total: rollupTotal });
    }
  }
  // The other deals: new ones, and those only activities or history rows changed.
  const byParts = new Map<string, number[]>();
  for (const [id, parts] of rollupParts) {
    const key = partsKey(parts);
    const group = byParts.get(key);
    if (group) group.push(id);
    else byParts.set(key, [id]);
  }
  for (const [key, ids] of byParts) {
    for (const batch of chunks(ids, 10_000)) {
      await refreshRollups(tx, batch, keyParts(key));
      rolled += batch.length;
      await onProgress({ step: "rollups", done: rolled, total: rollupTotal });
    }
  }

  // The as-of date first: the flags below are evaluated the way the
  // organisation's reviews will be (from history when the date is fixed).
  if (ctx.fixAsOf && asOfChanges) {
    await tx.orgSettings.upsert({
      where: { id: 1 },
      create: { id: 1, asOf: ctx.fixAsOf },
      update: { asOf: ctx.fixAsOf },
    });
    await recordAudit(tx, {
      actorId: ctx.actorId,
      action: "settings.as-of.fix",
      entityType: "settings",
      entityId: 1,
      before: { asOf: settings?.asOf?.toISOString() ?? null },
      after: { asOf: ctx.fixAsOf.toISOString(), by: "import" },
      at: ctx.now,
    });
  }

  // Flags of the deals that were already here and changed — their values,
  // history or activities — as after a person's change. New deals are
  // flagged by the next review.
  const changed = [
    ...new Set([...plan.touched.filter((ref) => "id" in ref).map(dealId), ...plan.dealUpdates.map((deal) => deal.id)]),
  ];
  await onProgress({ step: "flags", done: 0, total: changed.length });
  // One evaluation: each one loads the organisation's cycle statistics again.
  await reevaluateDeals(tx, changed, ctx.asOf, ctx.now);

  // The audit trail: one event per changed deal, one for the import.
  await onProgress({ step: "audit", done: 0, total: 1 });
  // As recordAudits would write them, set-based: one per changed deal can be 100,000 rows.
  for (const batch of chunks(plan.dealUpdates)) {
    await exec(
      `INSERT INTO "AuditEvent" (at, "actorId", action, "entityType", "entityId", before, after)
       SELECT $1::timestamptz, $2, 'deal.import_update', 'opportunity', e, b, a
         FROM json_to_recordset($3::text::json) AS t(e text, b jsonb, a jsonb)`,
      ctx.now,
      ctx.actorId,
      JSON.stringify(batch.map((deal) => ({ e: String(deal.id), b: deal.before, a: deal.after }))),
    );
  }
  await recordAudit(tx, {
    actorId: ctx.actorId,
    action: "import.apply",
    entityType: "import",
    entityId: ctx.fileNames.join(", ").slice(0, 200),
    after: {
      via: ctx.via,
      asOf: ctx.fixAsOf?.toISOString() ?? null,
      files: plan.files.map((file) => ({
        fileName: file.fileName,
        kind: file.kind,
        preset: file.preset,
        source: file.source,
        rows: file.totalRows,
        ...file.counts,
        ...file.changes,
        // The rows left out ("import the rest"), with why, so the trail shows what did not come in.
        rejectedRows: file.rejected.slice(0, 500).map(({ line, id, reason }) => ({ line, id, reason })),
      })),
    },
    at: ctx.now,
  });
  await onProgress({ step: "audit", done: 1, total: 1 });
}
