// What every CRM reader hands the sync, whatever the vendor: owners, deals,
// history and activities in the app's words, plus the CRM's stages. Pure
// data; to-import.ts turns a page of it into the import's files.
import type { ActivitySide, ActivityType, DealStatus } from "@/lib/generated/prisma/enums";

export const CRMS = ["hubspot", "pipedrive", "salesforce"] as const;
export type Crm = (typeof CRMS)[number];

export const CRM_LABELS: Record<Crm, string> = {
  hubspot: "HubSpot",
  pipedrive: "Pipedrive",
  salesforce: "Salesforce",
};

export interface OwnerRecord {
  name: string;
  email: string | null;
  team: string | null;
}

/** A stage of the CRM's pipeline; closed stages become the won / lost status. */
export interface CrmStage {
  /** The CRM's own id of the stage. */
  id: string;
  /** The name the deals and history carry (made unique across pipelines by the reader). */
  name: string;
  /** Position in the pipeline, 0 first. */
  order: number;
  /** Win probability, percent. */
  probability: number;
  closed: "won" | "lost" | null;
}

export interface DealRecord {
  externalId: string;
  name: string | null;
  account: string | null;
  /** Email when the CRM knows it, else the owner's name. */
  owner: string | null;
  stage: string | null;
  /** Only when the CRM says it outright (deleted deals, won / lost flags); else the stage decides. */
  status: DealStatus | null;
  amount: string | null;
  currency: string | null;
  openedAt: Date | null;
  expectedCloseDay: string | null;
  closedAt: Date | null;
  nextStep: string | null;
  lostReason: string | null;
  probability: number | null;
}

/** One moment of a deal's history: its stage then and, when the CRM tells, close date and amount. */
export interface HistoryRecord {
  dealId: string;
  at: Date;
  stage: string;
  /** undefined: this moment says nothing about the close date. */
  closeDay?: string | null;
  amount?: string | null;
}

export interface ActivityRecord {
  externalId: string;
  dealId: string;
  at: Date;
  type: ActivityType;
  side: ActivitySide;
  summary: string | null;
  /** False for planned work (a task not done, a meeting not held): the import skips it. */
  done: boolean;
}

export interface CrmPage {
  deals: DealRecord[];
  history: HistoryRecord[];
  activities: ActivityRecord[];
  /** Where the next page starts; saved with this page's writes. */
  cursor: unknown;
  /** Things the reader noticed that are not errors (a read the CRM refused and was done without). */
  notes: string[];
  /**
   * Deals deleted in the CRM: kept here, closed as lost with the reason, but
   * only those the app already has — a deal deleted before it was ever synced
   * is not brought in.
   */
  deletedOnly?: boolean;
}

export interface CrmSetup {
  owners: OwnerRecord[];
  stages: CrmStage[];
}

/** What a CRM reader does; each vendor has one (hubspot.ts, pipedrive.ts, salesforce.ts). */
export interface CrmReader {
  crm: Crm;
  /** Owners, teams and the pipeline's stages, read once per run. */
  setup(): Promise<CrmSetup>;
  /** Pages of changes since the cursor (null: everything), oldest change first. */
  pages(cursor: unknown, setup: CrmSetup): AsyncGenerator<CrmPage>;
  /** The deal fields this CRM fills (the rest stay as the app has them). */
  dealFields: import("./to-import").DealField[];
  /** Reads one deal to prove the credentials work; says what it read. */
  testConnection(): Promise<string>;
}

/** Plain text of an HTML note or email body, shortened for the deal's history. */
export function summaryText(value: string | null | undefined, max = 280): string | null {
  if (!value) return null;
  const text = value
    .replace(/<br\s*\/?>|<\/p>/gi, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
