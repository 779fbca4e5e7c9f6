// How each table of the demo organisation is written: its columns and how
// each is encoded (bulk-insert.ts), and the statements for each part of the
// load — the people and accounts first, then deal history in batches, then
// the rows that need every deal (the waiting-on-buyer records, snapshots).
// Pure: rows in, SQL statements out.
import { type Column, encodeInsert, type Statement, type TableSpec, textArray } from "./bulk-insert";
import type { DemoClosingRows, DemoSetupRows } from "./generate";
import type { HistoryRows } from "./history";
import type {
  AccountRow,
  ActivityRow,
  AmountChangeRow,
  AuditEventRow,
  CloseDateChangeRow,
  DecisionRow,
  OpportunityRow,
  PipelineSnapshotRow,
  QuotaRow,
  StageChangeRow,
  StageRow,
  TeamRow,
  UserRow,
  WaiverRow,
} from "./rows";

export function setupStatements(setup: DemoSetupRows): Statement[] {
  const settings = setup.orgSettings;
  return [
    {
      table: "OrgSettings",
      rows: 1,
      sql: `INSERT INTO "OrgSettings" (id, name, currency, "asOf", rules, "demoData", "updatedAt")
            VALUES (1, $1, $2, NULL, $3::jsonb, $4::boolean, now())
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency, "asOf" = NULL,
              rules = EXCLUDED.rules, "demoData" = EXCLUDED."demoData", "updatedAt" = now()`,
      params: [settings.name, settings.currency, JSON.stringify(settings.rules), String(settings.demoData)],
    },
    ...encodeInsert(STAGE, setup.stages),
    // Teams and their managers point at each other: teams first, managers once the people exist.
    ...encodeInsert(
      TEAM,
      setup.teams.map((team) => ({ ...team, managerId: null })),
    ),
    ...encodeInsert(USER, setup.users),
    {
      table: "Team",
      rows: 0,
      sql: `UPDATE "Team" t SET "managerId" = m.manager_id
              FROM unnest($1::text[], $2::text[]) AS m(team_id, manager_id)
             WHERE t.id = m.team_id`,
      params: [textArray(setup.teams.map((team) => team.id)), textArray(setup.teams.map((team) => team.managerId))],
    },
    ...encodeInsert(QUOTA, setup.quotas),
    ...encodeInsert(ACCOUNT, setup.accounts),
  ];
}

export function dealStatements(batch: HistoryRows): Statement[] {
  return [
    ...encodeInsert(OPPORTUNITY, batch.opportunities),
    ...encodeInsert(STAGE_CHANGE, batch.stageChanges),
    ...encodeInsert(ACTIVITY, batch.activities),
    ...encodeInsert(CLOSE_DATE_CHANGE, batch.closeDateChanges),
    ...encodeInsert(AMOUNT_CHANGE, batch.amountChanges),
  ];
}

export function closingStatements(closing: DemoClosingRows): Statement[] {
  return [
    ...encodeInsert(WAIVER, closing.waivers),
    ...encodeInsert(DECISION, closing.decisions),
    ...encodeInsert(AUDIT_EVENT, closing.auditEvents),
    ...encodeInsert(PIPELINE_SNAPSHOT, closing.pipelineSnapshots),
  ];
}

const col = <Row>(
  name: string,
  kind: Column<Row>["kind"],
  value: (row: Row) => unknown,
  castTo?: string,
): Column<Row> => ({
  name,
  kind,
  value,
  castTo,
});

const STAGE: TableSpec<StageRow> = {
  table: "Stage",
  columns: [
    col("id", "int", (r) => r.id),
    col("name", "text", (r) => r.name),
    col("order", "int", (r) => r.order),
    col("probability", "int", (r) => r.probability),
    col("early", "bool", (r) => r.early),
    col("maxDaysInStage", "int", (r) => r.maxDaysInStage),
    col("active", "bool", (r) => r.active),
  ],
};

const TEAM: TableSpec<TeamRow> = {
  table: "Team",
  columns: [
    col("id", "text", (r) => r.id),
    col("name", "text", (r) => r.name),
    col("managerId", "text", (r) => r.managerId),
    col("createdAt", "instant", (r) => r.createdAt),
  ],
};

const USER: TableSpec<UserRow> = {
  table: "User",
  columns: [
    col("id", "text", (r) => r.id),
    col("name", "text", (r) => r.name),
    col("email", "text", (r) => r.email),
    col("role", "label", (r) => r.role, "Role"),
    col("teamId", "text", (r) => r.teamId),
    col("active", "bool", (r) => r.active),
    col("createdAt", "instant", (r) => r.createdAt),
  ],
};

const QUOTA: TableSpec<QuotaRow> = {
  table: "Quota",
  columns: [
    col("id", "int", (r) => r.id),
    col("userId", "text", (r) => r.userId),
    col("periodStart", "day", (r) => r.periodStart),
    col("periodEnd", "day", (r) => r.periodEnd),
    col("amount", "money", (r) => r.amount),
  ],
};

const ACCOUNT: TableSpec<AccountRow> = {
  table: "Account",
  columns: [
    col("id", "int", (r) => r.id),
    col("name", "text", (r) => r.name),
    col("domain", "text", (r) => r.domain),
    col("sector", "label", (r) => r.sector),
    col("createdAt", "instant", (r) => r.createdAt),
  ],
};

const OPPORTUNITY: TableSpec<OpportunityRow> = {
  table: "Opportunity",
  columns: [
    col("id", "int", (r) => r.id),
    col("source", "label", (r) => r.source),
    col("externalId", "text", (r) => r.externalId),
    col("name", "text", (r) => r.name),
    col("accountId", "int", (r) => r.accountId),
    col("ownerId", "text", (r) => r.ownerId),
    col("amount", "money", (r) => r.amount),
    col("currency", "label", (r) => r.currency),
    col("stageId", "int", (r) => r.stageId),
    col("status", "label", (r) => r.status, "DealStatus"),
    col("openedAt", "instant", (r) => r.openedAt),
    col("expectedCloseDate", "day", (r) => r.expectedCloseDate),
    col("closedAt", "instant", (r) => r.closedAt),
    col("nextStep", "label", (r) => r.nextStep),
    col("lostReason", "label", (r) => r.lostReason),
    col("lastActivityAt", "instant", (r) => r.lastActivityAt),
    col("lastBuyerActivityAt", "instant", (r) => r.lastBuyerActivityAt),
    col("lastSellerActivityAt", "instant", (r) => r.lastSellerActivityAt),
    col("stageEnteredAt", "instant", (r) => r.stageEnteredAt),
    col("lastForwardMoveAt", "instant", (r) => r.lastForwardMoveAt),
    col("closeDatePushCount", "int", (r) => r.closeDatePushCount),
    col("createdAt", "instant", (r) => r.createdAt),
    col("updatedAt", "instant", (r) => r.updatedAt),
  ],
};

const STAGE_CHANGE: TableSpec<StageChangeRow> = {
  table: "StageChange",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("fromStageId", "int", (r) => r.fromStageId),
    col("toStageId", "int", (r) => r.toStageId),
    col("fromStatus", "label", (r) => r.fromStatus, "DealStatus"),
    col("toStatus", "label", (r) => r.toStatus, "DealStatus"),
    col("direction", "label", (r) => r.direction, "StageDirection"),
    col("at", "instant", (r) => r.at),
    col("byId", "text", (r) => r.byId),
    col("reason", "label", (r) => r.reason),
  ],
};

const ACTIVITY: TableSpec<ActivityRow> = {
  table: "Activity",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("type", "label", (r) => r.type, "ActivityType"),
    col("side", "label", (r) => r.side, "ActivitySide"),
    col("at", "instant", (r) => r.at),
    col("summary", "label", (r) => r.summary),
    col("byId", "text", (r) => r.byId),
    col("source", "label", () => "demo"),
    // createdAt keeps its default (when the row was written); `at` is when it happened.
  ],
};

const CLOSE_DATE_CHANGE: TableSpec<CloseDateChangeRow> = {
  table: "CloseDateChange",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("fromDate", "day", (r) => r.fromDate),
    col("toDate", "day", (r) => r.toDate),
    col("isPush", "bool", (r) => r.isPush),
    col("at", "instant", (r) => r.at),
    col("byId", "text", (r) => r.byId),
  ],
};

const AMOUNT_CHANGE: TableSpec<AmountChangeRow> = {
  table: "AmountChange",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("fromAmount", "money", (r) => r.fromAmount),
    col("toAmount", "money", (r) => r.toAmount),
    col("at", "instant", (r) => r.at),
    col("byId", "text", (r) => r.byId),
  ],
};

const WAIVER: TableSpec<WaiverRow> = {
  table: "Waiver",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("kind", "label", (r) => r.kind, "WaiverKind"),
    col("reason", "text", (r) => r.reason),
    col("until", "day", (r) => r.until),
    col("byId", "text", (r) => r.byId),
    col("createdAt", "instant", (r) => r.createdAt),
    col("endedAt", "instant", (r) => r.endedAt),
  ],
};

const DECISION: TableSpec<DecisionRow> = {
  table: "Decision",
  columns: [
    col("id", "int", (r) => r.id),
    col("opportunityId", "int", (r) => r.opportunityId),
    col("reviewId", "int", (r) => r.reviewId),
    col("action", "label", (r) => r.action, "DecisionAction"),
    col("reason", "text", (r) => r.reason),
    col("byId", "text", (r) => r.byId),
    col("at", "instant", (r) => r.at),
    col("details", "json", (r) => r.details),
  ],
};

const AUDIT_EVENT: TableSpec<AuditEventRow> = {
  table: "AuditEvent",
  columns: [
    col("id", "int", (r) => r.id),
    col("at", "instant", (r) => r.at),
    col("actorId", "text", (r) => r.actorId),
    col("action", "text", (r) => r.action),
    col("entityType", "text", (r) => r.entityType),
    col("entityId", "text", (r) => r.entityId),
    col("before", "json", (r) => r.before),
    col("after", "json", (r) => r.after),
  ],
};

const PIPELINE_SNAPSHOT: TableSpec<PipelineSnapshotRow> = {
  table: "PipelineSnapshot",
  columns: [
    col("id", "int", (r) => r.id),
    col("userId", "text", (r) => r.userId),
    col("weekStart", "day", (r) => r.weekStart),
    col("reviewId", "int", (r) => r.reviewId),
    col("openCount", "int", (r) => r.openCount),
    col("openValue", "money", (r) => r.openValue),
    col("weightedValue", "money", (r) => r.weightedValue),
    col("staleCount", "int", (r) => r.staleCount),
    col("staleValue", "money", (r) => r.staleValue),
    col("newPipelineValue", "money", (r) => r.newPipelineValue),
    col("wonValue", "money", (r) => r.wonValue),
    col("updatedAt", "instant", (r) => r.updatedAt),
  ],
};
