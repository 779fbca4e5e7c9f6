// The shapes an import plan is made of: what the database holds (a Snapshot,
// loaded by data.ts), what the plan would change (a Plan, written by
// mutations.ts), each file's summary (shown in the preview), and the keys
// that name deals, stages and history rows across them.
import type { ActivitySide, ActivityType, DealStatus, Role, StageDirection } from "@/lib/generated/prisma/enums";
import type { ImportKind } from "./fields";
import type { ParsedFile, Rejection } from "./read";

// ---------------------------------------------------------------------------
// What the database holds (loaded by data.ts)

export interface StageInfo {
  id: number;
  name: string;
  order: number;
  active: boolean;
}

export interface PersonInfo {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** YYYY-MM-DD, when known. */
  startDate?: string | null;
}

export interface TeamInfo {
  id: string;
  name: string;
  managerId: string | null;
}

export interface ExistingDeal {
  id: number;
  source: string;
  externalId: string;
  name: string;
  accountName: string | null;
  ownerId: string;
  amount: string;
  currency: string;
  stageId: number;
  status: DealStatus;
  /** Null: a prospect with "date unknown". */
  openedAt: number | null;
  expectedCloseDate: string | null;
  closedAt: number | null;
  crmLastActivityAt: number | null;
  nextStep: string | null;
  lostReason: string | null;
  version: number;
  /** The deal's latest stage change, when a person (not an import) made it. */
  personStage: { fromStageId: number | null; fromStatus: DealStatus | null } | null;
  personCloseDate: { fromDate: string | null } | null;
  personAmount: { fromAmount: string | null } | null;
}

export interface ExistingActivity {
  id: number;
  opportunityId: number;
  at: number;
  type: ActivityType;
  side: ActivitySide;
  summary: string | null;
}

export interface Snapshot {
  currency: string;
  stages: StageInfo[];
  people: PersonInfo[];
  teams: TeamInfo[];
  /** By dealKey(source, externalId). */
  deals: Map<string, ExistingDeal>;
  /** By dealKey(source, externalId). */
  activities: Map<string, ExistingActivity>;
  /** historyKey(...) of the stage, close-date and amount changes of the deals the files carry history for. */
  historyKeys: Set<string>;
}

export const dealKey = (source: string, externalId: string) => `${source}\u0000${externalId}`;

// ---------------------------------------------------------------------------
// The plan: what an import would change

export type DealRef = { id: number } | { source: string; externalId: string };
export type StageRef = { id: number } | { newName: string };

export interface NewDeal {
  source: string;
  externalId: string;
  name: string;
  accountName: string | null;
  ownerId: string;
  amount: string;
  currency: string;
  stage: StageRef;
  status: DealStatus;
  /** Null only for a prospect whose source gave no date ("date unknown"). */
  openedAt: Date | null;
  expectedCloseDate: Date | null;
  closedAt: Date | null;
  /** The deals export's last-activity date; kept when a later file leaves the column out or empty. */
  crmLastActivityAt: Date | null;
  nextStep: string | null;
  lostReason: string | null;
}

export interface DealUpdate extends Omit<NewDeal, "source" | "externalId"> {
  id: number;
  version: number;
  /** Changed fields, for the audit trail. */
  before: Record<string, string | null>;
  after: Record<string, string | null>;
}

export interface PlannedMove {
  deal: DealRef;
  fromStage: StageRef | null;
  toStage: StageRef | null;
  fromStatus: DealStatus | null;
  toStatus: DealStatus;
  direction: StageDirection;
  at: Date;
  reason: string;
}

export interface PlannedCloseDateEdit {
  deal: DealRef;
  fromDate: Date | null;
  toDate: Date | null;
  at: Date;
}

export interface PlannedAmountEdit {
  deal: DealRef;
  fromAmount: string | null;
  toAmount: string;
  at: Date;
}

export interface PlannedActivity {
  id: number | null;
  deal: DealRef;
  source: string;
  externalId: string;
  at: Date;
  type: ActivityType;
  side: ActivitySide;
  summary: string | null;
}

export interface NewPerson {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** From a people file's start-date column; never the import's own time. */
  startDate: Date | null;
}

export interface PersonUpdate {
  id: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** undefined: left as it is. */
  startDate?: Date | null;
  before: Record<string, string | null>;
  after: Record<string, string | null>;
}

export interface NewStage {
  name: string;
  order: number;
  probability: number;
}

export type StageTarget =
  | { type: "stage"; name: string }
  | { type: "status"; status: "won" | "lost" | "prospect" }
  /** `position`: where the mapping lists it, which orders the new stages. */
  | { type: "create"; name: string; position?: number };

export interface StageTableRow {
  value: string;
  /** Rows whose Stage cell holds it. */
  rows: number;
  /** Stage-entry dates (HubSpot) or history rows naming it. */
  entries: number;
  target: StageTarget | null;
  /** Why it maps there: "same name", "your mapping", "closed won". */
  how: string | null;
}

export interface FileCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

export interface FileChanges {
  stageMoves: number;
  statusChanges: number;
  closeDatePushes: number;
  closeDateEdits: number;
  amountChanges: number;
  historyRows: number;
  keptHere: number;
}

export interface FileSummary {
  fileName: string;
  kind: ImportKind;
  preset: string;
  source: string;
  description: string;
  headers: string[];
  columns: Record<string, string[]>;
  ignoredHeaders: string[];
  missingColumns: { key: string; label: string }[];
  totalRows: number;
  counts: FileCounts;
  changes: FileChanges;
  stageTable: StageTableRow[];
  rejected: Rejection[];
  kept: { line: number; id: string; what: string }[];
  dateOrder: ParsedFile["dateOrder"];
  notes: string[];
  latestDate: string | null;
  /** Reps or people the import adds, by name. */
  newPeople: string[];
  newTeams: string[];
  newStages: string[];
  newAccounts: number;
  /** The owners of the file's deals (for links to their pipelines). */
  owners: { id: string; name: string }[];
  skippedReason: string | null;
}

export interface Plan {
  files: FileSummary[];
  newTeams: { id: string; name: string }[];
  newPeople: NewPerson[];
  personUpdates: PersonUpdate[];
  teamManagers: { teamId: string; managerId: string; previous: string | null }[];
  newStages: NewStage[];
  newDeals: NewDeal[];
  dealUpdates: DealUpdate[];
  moves: PlannedMove[];
  closeDateEdits: PlannedCloseDateEdit[];
  amountEdits: PlannedAmountEdit[];
  newActivities: PlannedActivity[];
  activityUpdates: PlannedActivity[];
  /** Deals whose rollups must be recomputed. */
  touched: DealRef[];
}

export interface PlanOptions {
  /** When the import's changes happen (history timestamps). */
  changeAt: Date;
  /** Team (by name) that new reps join; null: none. */
  newRepTeam: string | null;
}

/** The plan while it is being made: every part but the file summaries. */
export type PlanDraft = Omit<Plan, "files">;

/** Names compared the way a person reads them: case and spacing do not matter. */
export const lower = (value: string) => value.trim().toLowerCase().replace(/\s+/g, " ");

/** A stage of the database or one the plan creates, as one comparable string. */
export function refKey(ref: StageRef | null): string {
  if (!ref) return "none";
  return "id" in ref ? String(ref.id) : `new:${lower(ref.newName)}`;
}

/** Names one history row (stage move, close-date or amount change) so a re-import does not add it twice. */
export function historyKey(
  kind: "stage" | "close" | "amount",
  dealId: number | string,
  at: number,
  to: string,
): string {
  return `${kind}|${dealId}|${at}|${to}`;
}

/** How history keys name a deal: its id, or (planned in this run) its source and external id. */
export function historyDeal(ref: DealRef): number | string {
  return "id" in ref ? ref.id : `new:${dealKey(ref.source, ref.externalId)}`;
}
