// Reads of the sync: connections (never their secrets) and the history of runs.
import "server-only";
import type { DbClient } from "@/lib/db";
import { db } from "@/lib/db";
import { CRMS, type Crm } from "./records";

export async function getConnectionRow(crm: Crm, client: DbClient = db) {
  return client.crmConnection.findUnique({ where: { crm } });
}

/** Deal ids of this source the app already has, among these. */
export async function knownDealIds(client: DbClient, source: string, externalIds: string[]): Promise<Set<string>> {
  if (!externalIds.length) return new Set();
  const rows = await client.opportunity.findMany({
    where: { source, externalId: { in: externalIds } },
    select: { externalId: true },
  });
  return new Set(rows.map((row) => row.externalId as string));
}

export interface ConnectionView {
  crm: Crm;
  connected: boolean;
  origin: string | null;
  settings: { flow?: string; clientId?: string; username?: string; loginUrl?: string; instanceUrl?: string };
  daily: boolean;
  lastSyncedAt: Date | null;
  hasCursor: boolean;
  runs: {
    id: number;
    via: string;
    startedAt: Date;
    finishedAt: Date | null;
    status: string;
    pages: number;
    counts: unknown;
    errors: string[];
    durationMs: number | null;
  }[];
}

/** Every CRM's connection as the settings page shows it: never the secret, only whether there is one. */
export async function listConnections(client: DbClient = db): Promise<ConnectionView[]> {
  const rows = await client.crmConnection.findMany({
    include: { runs: { orderBy: { startedAt: "desc" }, take: 10 } },
  });
  return CRMS.map((crm) => {
    const row = rows.find((r) => r.crm === crm);
    return {
      crm,
      connected: Boolean(row?.secret),
      origin: row?.origin ?? null,
      settings: (row?.settings ?? {}) as ConnectionView["settings"],
      daily: row?.daily ?? true,
      lastSyncedAt: row?.lastSyncedAt ?? null,
      hasCursor: row?.cursor != null,
      runs: (row?.runs ?? []).map((run) => ({
        id: run.id,
        via: run.via,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        status: run.status,
        pages: run.pages,
        counts: run.counts,
        errors: Array.isArray(run.errors) ? (run.errors as string[]) : [],
        durationMs: run.durationMs,
      })),
    };
  });
}
