// Plain rows, one interface per table, exactly as the loader writes them.
// The generator returns these (no Prisma types, no database), so tests can
// check the demo organisation without opening a database.
//
// Money is a decimal string with two places ("48000.00"); calendar dates
// (`date` columns) are UTC midnight; instants are UTC Dates. Ids are assigned
// here, not by the database, so child rows can be written in bulk.

export type Role = "admin" | "manager" | "rep";
export type DealStatus = "open" | "prospect" | "won" | "lost";
export type StageDirection = "created" | "forward" | "back" | "won" | "lost" | "to_prospect" | "reopened";
export type ActivityType = "call" | "email" | "meeting" | "note" | "task" | "other";
export type ActivitySide = "buyer" | "seller";
export type DecisionAction =
  | "move_back"
  | "return_to_prospecting"
  | "remove"
  | "keep_with_waiver"
  | "waiting_on_buyer"
  | "reopen";
export type WaiverKind = "waiting_on_buyer" | "manager_keep";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface OrgSettingsRow {
  id: 1;
  name: string;
  currency: string;
  asOf: Date | null;
  rules: Json;
  demoData: boolean;
}

export interface StageRow {
  id: number;
  name: string;
  order: number;
  probability: number;
  early: boolean;
  maxDaysInStage: number | null;
  active: boolean;
}

export interface TeamRow {
  id: string;
  name: string;
  managerId: string | null;
  createdAt: Date;
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  active: boolean;
  createdAt: Date;
}

export interface QuotaRow {
  id: number;
  userId: string;
  periodStart: Date;
  periodEnd: Date;
  amount: string;
}

export interface AccountRow {
  id: number;
  name: string;
  domain: string | null;
  sector: string | null;
  createdAt: Date;
}

export interface OpportunityRow {
  id: number;
  source: string;
  externalId: string;
  name: string;
  accountId: number | null;
  ownerId: string;
  amount: string;
  currency: string;
  stageId: number;
  status: DealStatus;
  openedAt: Date;
  expectedCloseDate: Date | null;
  closedAt: Date | null;
  nextStep: string | null;
  lostReason: string | null;
  lastActivityAt: Date | null;
  lastBuyerActivityAt: Date | null;
  lastSellerActivityAt: Date | null;
  stageEnteredAt: Date;
  lastForwardMoveAt: Date | null;
  closeDatePushCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StageChangeRow {
  id: number;
  opportunityId: number;
  fromStageId: number | null;
  toStageId: number | null;
  fromStatus: DealStatus | null;
  toStatus: DealStatus;
  direction: StageDirection;
  at: Date;
  byId: string | null;
  reason: string | null;
}

export interface ActivityRow {
  id: number;
  opportunityId: number;
  type: ActivityType;
  side: ActivitySide;
  at: Date;
  summary: string;
  /** The rep for seller activities; null for buyer activities (logged by sync). */
  byId: string | null;
}

export interface CloseDateChangeRow {
  id: number;
  opportunityId: number;
  fromDate: Date | null;
  toDate: Date | null;
  isPush: boolean;
  at: Date;
  byId: string | null;
}

export interface AmountChangeRow {
  id: number;
  opportunityId: number;
  fromAmount: string | null;
  toAmount: string;
  at: Date;
  byId: string | null;
}

export interface WaiverRow {
  id: number;
  opportunityId: number;
  kind: WaiverKind;
  reason: string;
  until: Date;
  byId: string | null;
  createdAt: Date;
  endedAt: Date | null;
}

export interface DecisionRow {
  id: number;
  opportunityId: number;
  reviewId: number | null;
  action: DecisionAction;
  reason: string;
  byId: string | null;
  at: Date;
  details: Json;
}

export interface AuditEventRow {
  id: number;
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: Json;
  after: Json;
}

export interface PipelineSnapshotRow {
  id: number;
  userId: string;
  weekStart: Date;
  reviewId: number | null;
  openCount: number;
  openValue: string;
  weightedValue: string;
  staleCount: number;
  staleValue: string;
  newPipelineValue: string;
  wonValue: string;
  updatedAt: Date;
}

/** Everything the demo organisation consists of, in load order. */
export interface DemoOrganisation {
  /** The day the data is relative to (UTC midnight). */
  today: Date;
  orgSettings: OrgSettingsRow;
  stages: StageRow[];
  teams: TeamRow[];
  users: UserRow[];
  quotas: QuotaRow[];
  accounts: AccountRow[];
  opportunities: OpportunityRow[];
  stageChanges: StageChangeRow[];
  activities: ActivityRow[];
  closeDateChanges: CloseDateChangeRow[];
  amountChanges: AmountChangeRow[];
  waivers: WaiverRow[];
  decisions: DecisionRow[];
  auditEvents: AuditEventRow[];
  pipelineSnapshots: PipelineSnapshotRow[];
}

/** "48000.00" from 4_800_000 cents — integer arithmetic only. */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Not a whole number of cents: ${cents}`);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** 4_800_000 from "48000.00" (or "48000", "48000.5"). */
export function decimalToCents(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) throw new Error(`Not a money amount: ${amount}`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "0").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}
