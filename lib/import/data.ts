// Reads what an import is compared with: stages, people, teams, and only the
// deals, activities and history rows the files name — a handful of set-based
// queries whatever the size of the files. Each joins the ids it wants: with
// `= ANY(array)` PostgreSQL compares every row with every id as soon as the
// table's statistics say it is big (minutes for 100,000 deals). Inside
// apply's transaction the deals are locked (FOR UPDATE) so nobody changes
// them between the comparison and the write.
import "server-only";
import { type DbClient, db } from "@/lib/db";
import type { ActivitySide, ActivityType, DealStatus, Role } from "@/lib/generated/prisma/enums";
import { activityFingerprint } from "./plan-activities";
import { dealKey, type ExistingActivity, type ExistingDeal, historyKey, type Snapshot } from "./plan-types";
import { type DataQuality, getDataQuality } from "./quality";
import type { ParsedFile } from "./read";
import { columnRows, epochMs, pgArray, prismaQuery } from "@/lib/db/bulk-sql";

interface DealRow {
  id: number;
  source: string;
  external_id: string;
  name: string;
  account_name: string | null;
  owner_id: string;
  amount: string;
  currency: string;
  stage_id: number;
  status: DealStatus;
  opened_at: number | null;
  expected_close: string | null;
  closed_at: number | null;
  crm_last_activity_at: number | null;
  next_step: string | null;
  lost_reason: string | null;
  version: number;
  sc_by: string | null;
  sc_from_stage: number | null;
  sc_from_status: DealStatus | null;
  cd_by: string | null;
  cd_from: string | null;
  am_by: string | null;
  am_from: string | null;
}

const DEAL_COLUMNS = [
  "id",
  "source",
  "external_id",
  "name",
  "account_name",
  "owner_id",
  "amount",
  "currency",
  "stage_id",
  "status",
  "opened_at",
  "expected_close",
  "closed_at",
  "crm_last_activity_at",
  "next_step",
  "lost_reason",
  "version",
  "sc_by",
  "sc_from_stage",
  "sc_from_status",
  "cd_by",
  "cd_from",
  "am_by",
  "am_from",
] as const satisfies readonly (keyof DealRow)[];

export async function loadSnapshot(
  client: DbClient,
  files: ParsedFile[],
  options: { lock?: boolean } = {},
): Promise<Snapshot> {
  const query = <Row>(sql: string, ...params: unknown[]) => client.$queryRawUnsafe<Row[]>(sql, ...params);

  const [settings, stages, people, teams] = await Promise.all([
    client.orgSettings.findUnique({ where: { id: 1 }, select: { currency: true } }),
    client.stage.findMany({ select: { id: true, name: true, order: true, active: true }, orderBy: { order: "asc" } }),
    client.user.findMany({
      select: { id: true, name: true, email: true, role: true, teamId: true, startDate: true },
      orderBy: [{ active: "desc" }, { createdAt: "asc" }],
    }),
    client.team.findMany({ select: { id: true, name: true, managerId: true } }),
  ]);

  // Deal ids the files name, per source.
  const dealIds = new Map<string, Set<string>>();
  const want = (source: string, id: string) => {
    let set = dealIds.get(source);
    if (!set) {
      set = new Set();
      dealIds.set(source, set);
    }
    set.add(id);
  };
  const activityIds = new Map<string, string[]>();
  const historyDeals = new Set<string>();
  for (const file of files) {
    if (file.kind === "deals") {
      for (const row of file.rows) {
        want(file.source, row.externalId);
        if (row.stageEntries.length) historyDeals.add(dealKey(file.source, row.externalId));
      }
    } else if (file.kind === "stage-history") {
      for (const row of file.rows) {
        want(file.source, row.dealId);
        historyDeals.add(dealKey(file.source, row.dealId));
      }
    } else if (file.kind === "activities") {
      const ids = activityIds.get(file.source) ?? [];
      for (const row of file.rows) {
        want(file.source, row.dealId);
        ids.push(row.externalId ?? activityFingerprint(row));
      }
      activityIds.set(file.source, ids);
    }
  }

  const deals = new Map<string, ExistingDeal>();
  for (const [source, ids] of dealIds) {
    // One JSON array per column (columnRows), not a JSON object per deal nor
    // 24 values a row: PGlite hands each value to JavaScript separately (~6 µs
    // each, 16 s for 100,000 deals that way), and builds an object per row
    // several times slower than an array per column.
    const rows = await columnRows<DealRow>(
      prismaQuery(client),
      `SELECT o.id, o.source, o."externalId" AS external_id, o.name, a.name AS account_name, o."ownerId" AS owner_id,
              o.amount::text AS amount, o.currency, o."stageId" AS stage_id, o.status::text AS status,
              ${epochMs('o."openedAt"')} AS opened_at, o."expectedCloseDate"::text AS expected_close,
              ${epochMs('o."closedAt"')} AS closed_at, ${epochMs('o."crmLastActivityAt"')} AS crm_last_activity_at,
              o."nextStep" AS next_step, o."lostReason" AS lost_reason, o.version,
              sc."byId" AS sc_by, sc."fromStageId" AS sc_from_stage, sc."fromStatus"::text AS sc_from_status,
              cd."byId" AS cd_by, cd."fromDate"::text AS cd_from, am."byId" AS am_by, am."fromAmount"::text AS am_from
         FROM unnest($2::text::text[]) AS wanted(external_id)
         JOIN "Opportunity" o ON o.source = $1 AND o."externalId" = wanted.external_id
         LEFT JOIN "Account" a ON a.id = o."accountId"
         LEFT JOIN LATERAL (SELECT s."byId", s."fromStageId", s."fromStatus" FROM "StageChange" s
                             WHERE s."opportunityId" = o.id ORDER BY s.at DESC, s.id DESC LIMIT 1) sc ON true
         LEFT JOIN LATERAL (SELECT c."byId", c."fromDate" FROM "CloseDateChange" c
                             WHERE c."opportunityId" = o.id ORDER BY c.at DESC, c.id DESC LIMIT 1) cd ON true
         LEFT JOIN LATERAL (SELECT m."byId", m."fromAmount" FROM "AmountChange" m
                             WHERE m."opportunityId" = o.id ORDER BY m.at DESC, m.id DESC LIMIT 1) am ON true
        ${options.lock ? `FOR UPDATE OF o` : ""}`,
      [source, pgArray([...ids])],
      DEAL_COLUMNS,
    );
    for (const row of rows) {
      deals.set(dealKey(row.source, row.external_id), {
        id: row.id,
        source: row.source,
        externalId: row.external_id,
        name: row.name,
        accountName: row.account_name,
        ownerId: row.owner_id,
        amount: row.amount,
        currency: row.currency,
        stageId: row.stage_id,
        status: row.status,
        openedAt: row.opened_at === null ? null : Number(row.opened_at),
        expectedCloseDate: row.expected_close,
        closedAt: row.closed_at === null ? null : Number(row.closed_at),
        crmLastActivityAt: row.crm_last_activity_at === null ? null : Number(row.crm_last_activity_at),
        nextStep: row.next_step,
        lostReason: row.lost_reason,
        version: row.version,
        // The latest change of each kind, when a person made it (byId set; an import's rows have none).
        personStage: row.sc_by ? { fromStageId: row.sc_from_stage, fromStatus: row.sc_from_status } : null,
        personCloseDate: row.cd_by ? { fromDate: row.cd_from } : null,
        personAmount: row.am_by ? { fromAmount: row.am_from } : null,
      });
    }
  }

  const activities = new Map<string, ExistingActivity>();
  for (const [source, ids] of activityIds) {
    const rows = await query<{
      id: number;
      external_id: string;
      opportunity_id: number;
      at: number;
      type: ActivityType;
      side: ActivitySide;
      summary: string | null;
    }>(
      `SELECT id, "externalId" AS external_id, "opportunityId" AS opportunity_id, ${epochMs("at")} AS at,
              type::text AS type, side::text AS side, summary
         FROM unnest($2::text::text[]) AS wanted(external_id)
         JOIN "Activity" ON source = $1 AND "externalId" = wanted.external_id`,
      source,
      pgArray(ids),
    );
    for (const row of rows) {
      activities.set(dealKey(source, row.external_id), {
        id: row.id,
        opportunityId: row.opportunity_id,
        at: Number(row.at),
        type: row.type,
        side: row.side,
        summary: row.summary,
      });
    }
  }

  const historyKeys = new Set<string>();
  const withHistory = [...historyDeals].map((key) => deals.get(key)?.id).filter((id): id is number => id !== undefined);
  if (withHistory.length) {
    const ids = pgArray(withHistory);
    const [moves, closes, amounts] = await Promise.all([
      query<{ deal: number; at: number; stage: number | null; status: DealStatus }>(
        `SELECT "opportunityId" AS deal, ${epochMs("at")} AS at, "toStageId" AS stage, "toStatus"::text AS status
           FROM unnest($1::text::int[]) AS wanted(deal) JOIN "StageChange" ON "opportunityId" = wanted.deal`,
        ids,
      ),
      query<{ deal: number; at: number; to: string | null }>(
        `SELECT "opportunityId" AS deal, ${epochMs("at")} AS at, "toDate"::text AS to
           FROM unnest($1::text::int[]) AS wanted(deal) JOIN "CloseDateChange" ON "opportunityId" = wanted.deal`,
        ids,
      ),
      query<{ deal: number; at: number; to: string }>(
        `SELECT "opportunityId" AS deal, ${epochMs("at")} AS at, "toAmount"::text AS to
           FROM unnest($1::text::int[]) AS wanted(deal) JOIN "AmountChange" ON "opportunityId" = wanted.deal`,
        ids,
      ),
    ]);
    for (const row of moves) {
      historyKeys.add(historyKey("stage", row.deal, Number(row.at), `${row.stage ?? "none"}:${row.status}`));
    }
    for (const row of closes) historyKeys.add(historyKey("close", row.deal, Number(row.at), row.to ?? "none"));
    for (const row of amounts) historyKeys.add(historyKey("amount", row.deal, Number(row.at), row.to));
  }

  return {
    currency: settings?.currency ?? "USD",
    stages,
    people: people.map((person) => ({
      ...person,
      role: person.role as Role,
      startDate: person.startDate ? person.startDate.toISOString().slice(0, 10) : null,
    })),
    teams,
    deals,
    activities,
    historyKeys,
  };
}

/** The data-quality report for the admin's overview; null for anyone else (import is the admin's). */
export async function getDataQualityFor(viewer: { role: string }, client: DbClient = db): Promise<DataQuality | null> {
  if (viewer.role !== "admin") return null;
  return getDataQuality(client);
}
