// The sync's own writes: the CRM's stages the app does not have yet, the
// cursor and the run's record, and saved connections. Deals, people,
// history and activities are written by the import (lib/import), never here.
import { recordAudit } from "@/lib/audit/mutations";
import type { DbClient, Transaction } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ConnectionSettings } from "./credentials";
import type { Crm, CrmStage } from "./records";

/**
 * The CRM's open stages that the app lacks, added after the app's own stages
 * in the CRM's pipeline order with its probabilities. An existing stage of
 * the same name is used as it is (its order and probability are the admin's).
 */
export async function ensureStages(
  tx: Transaction,
  crm: Crm,
  stages: CrmStage[],
  actorId: string | null,
): Promise<string[]> {
  const existing = await tx.stage.findMany({ select: { name: true, order: true } });
  const names = new Set(existing.map((stage) => stage.name.toLowerCase()));
  let order = existing.reduce((max, stage) => Math.max(max, stage.order), 0);
  const created: string[] = [];
  for (const stage of [...stages].sort((a, b) => a.order - b.order)) {
    if (stage.closed || names.has(stage.name.toLowerCase())) continue;
    order++;
    const probability = Math.min(100, Math.max(0, stage.probability));
    const row = await tx.stage.create({ data: { name: stage.name, order, probability } });
    names.add(stage.name.toLowerCase());
    created.push(stage.name);
    await recordAudit(tx, {
      actorId,
      action: "stage.sync_create",
      entityType: "stage",
      entityId: row.id,
      after: { name: stage.name, order, probability, from: crm },
    });
  }
  return created;
}

export async function saveCursor(tx: Transaction, connectionId: number, cursor: unknown) {
  await tx.crmConnection.update({
    where: { id: connectionId },
    data: { cursor: cursor === null ? undefined : (cursor as Prisma.InputJsonValue) },
  });
}

export async function startRun(client: DbClient, connectionId: number, via: string, at: Date) {
  return client.syncRun.create({ data: { connectionId, via, startedAt: at } });
}

export async function recordRunProgress(
  client: DbClient,
  runId: number,
  data: { pages: number; counts: Prisma.InputJsonValue; errors: Prisma.InputJsonValue },
) {
  await client.syncRun.update({ where: { id: runId }, data });
}

export async function finishRun(
  client: DbClient,
  runId: number,
  data: {
    status: "succeeded" | "failed";
    pages: number;
    counts: Prisma.InputJsonValue;
    errors: Prisma.InputJsonValue;
    finishedAt: Date;
    durationMs: number;
  },
) {
  await client.syncRun.update({ where: { id: runId }, data });
}

export async function markSynced(client: DbClient, connectionId: number, at: Date) {
  await client.crmConnection.update({ where: { id: connectionId }, data: { lastSyncedAt: at } });
}

/** The headless connection: no secret, only the cursor (credentials stay in the environment). */
export async function ensureEnvironmentConnection(client: DbClient, crm: Crm) {
  return client.crmConnection.upsert({
    where: { crm },
    update: {},
    create: { crm, origin: "environment" },
  });
}

/**
 * Saves (or replaces) a connection's secret and settings. The cursor is kept
 * when the same account is reconnected with a new token; `resetCursor` starts
 * the next sync from the beginning.
 */
export async function saveConnection(
  tx: Transaction,
  input: { crm: Crm; encryptedSecret: string; settings: ConnectionSettings; actorId: string; resetCursor: boolean },
) {
  const before = await tx.crmConnection.findUnique({
    where: { crm: input.crm },
    select: { origin: true, settings: true },
  });
  const row = await tx.crmConnection.upsert({
    where: { crm: input.crm },
    update: {
      origin: "page",
      secret: input.encryptedSecret,
      settings: input.settings as Prisma.InputJsonValue,
    },
    create: {
      crm: input.crm,
      origin: "page",
      secret: input.encryptedSecret,
      settings: input.settings as Prisma.InputJsonValue,
      createdById: input.actorId,
    },
  });
  // Prisma writes a JSON null only through Prisma.DbNull; plain SQL says it plainly.
  if (input.resetCursor) await tx.$executeRawUnsafe(`UPDATE "CrmConnection" SET cursor = NULL WHERE id = $1`, row.id);
  // The secret itself is never in the audit trail: only that it changed.
  await recordAudit(tx, {
    actorId: input.actorId,
    action: before ? "connection.update" : "connection.create",
    entityType: "settings",
    entityId: `connection:${input.crm}`,
    before: before ? { settings: before.settings as Prisma.InputJsonValue, origin: before.origin } : null,
    after: { settings: input.settings as Prisma.InputJsonValue, secret: "replaced", resetCursor: input.resetCursor },
  });
  return row;
}

/** Forgets the secret (the connection's runs and cursor stay, as history). */
export async function disconnect(tx: Transaction, crm: Crm, actorId: string) {
  const row = await tx.crmConnection.findUnique({ where: { crm } });
  if (!row) return false;
  await tx.crmConnection.update({ where: { crm }, data: { secret: null, origin: "environment", daily: false } });
  await recordAudit(tx, {
    actorId,
    action: "connection.disconnect",
    entityType: "settings",
    entityId: `connection:${crm}`,
    before: { connected: row.secret !== null },
    after: { connected: false },
  });
  return true;
}

export async function setDaily(tx: Transaction, crm: Crm, daily: boolean, actorId: string) {
  await tx.crmConnection.update({ where: { crm }, data: { daily } });
  await recordAudit(tx, {
    actorId,
    action: "connection.schedule",
    entityType: "settings",
    entityId: `connection:${crm}`,
    after: { daily },
  });
}
