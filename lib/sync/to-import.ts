// Turns a page of CRM records into the files the CSV import reads — the
// generic preset with an explicit mapping — so a sync goes through exactly
// the import's validation, planning, upsert on (source, CRM id), history,
// audit and re-evaluation, with no second writer to keep in step. The CSV is
// a few hundred rows per page, made and read in memory.
import { stringify } from "csv-stringify/sync";
import type { ImportSource } from "@/lib/import/run";
import type { Mapping } from "@/lib/import/schema";
import type { Crm, CrmPage, CrmStage, DealRecord, HistoryRecord, OwnerRecord } from "./records";

/** The deal fields a CRM fills; the others are left alone on the app's deals (no column = keep). */
export type DealField = Exclude<keyof DealRecord, "externalId">;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : "");

function csv(header: string[], rows: (string | number | null | undefined)[][]): Buffer {
  return Buffer.from(stringify([header, ...rows.map((row) => row.map((cell) => (cell ?? "").toString()))]));
}

function source(
  fileName: string,
  kind: Mapping["kind"],
  crm: Crm,
  header: string[],
  content: Buffer,
  stages?: Record<string, string>,
): ImportSource {
  const mapping: Mapping = {
    kind,
    preset: "generic",
    source: crm,
    columns: Object.fromEntries(header.map((column) => [column, column])),
    ...(stages ? { stages } : {}),
  };
  return { options: { fileName, kind, preset: "generic", mapping }, content: [content] };
}

/** CRM stage name → our stage of the same name (created by the sync), or won / lost. */
export function stageMapping(stages: CrmStage[]): Record<string, string> {
  return Object.fromEntries(stages.map((stage) => [stage.name, stage.closed ?? stage.name]));
}

/** The owners as a people file: creates the reps and teams the CRM has, under the names the CRM gives them. */
export function ownersFile(crm: Crm, owners: OwnerRecord[]): ImportSource | null {
  const rows = owners.filter((owner) => owner.email || owner.name);
  if (!rows.length) return null;
  const header = ["person", "email", "team"];
  return source(
    `${crm} owners`,
    "people",
    crm,
    header,
    csv(
      header,
      // The CRM's name as the person's name, the email to match deals' owners by (a name alone
      // would become "dana" from dana@acme.test).
      rows.map((owner) => [owner.name || owner.email, owner.email, owner.team]),
    ),
  );
}

const DEAL_CELLS: Record<DealField, (deal: DealRecord) => string | number | null> = {
  name: (deal) => deal.name,
  account: (deal) => deal.account,
  owner: (deal) => deal.owner,
  stage: (deal) => deal.stage,
  status: (deal) => deal.status,
  amount: (deal) => deal.amount,
  currency: (deal) => deal.currency,
  openedAt: (deal) => iso(deal.openedAt),
  expectedCloseDay: (deal) => deal.expectedCloseDay,
  closedAt: (deal) => iso(deal.closedAt),
  nextStep: (deal) => deal.nextStep,
  lostReason: (deal) => deal.lostReason,
  probability: (deal) => deal.probability,
};

/** The import's field for each record field. */
const DEAL_COLUMN: Record<DealField, string> = {
  name: "name",
  account: "account",
  owner: "owner",
  stage: "stage",
  status: "status",
  amount: "amount",
  currency: "currency",
  openedAt: "openedAt",
  expectedCloseDay: "expectedCloseDate",
  closedAt: "closedAt",
  nextStep: "nextStep",
  lostReason: "lostReason",
  probability: "probability",
};

/**
 * A page's deals, history and activities as import files, in the order the
 * import plans them anyway (deals before what refers to them).
 */
export function pageFiles(crm: Crm, page: CrmPage, fields: DealField[], stages: CrmStage[]): ImportSource[] {
  const files: ImportSource[] = [];
  const stageMap = stageMapping(stages);
  if (page.deals.length) {
    const header = ["externalId", ...fields.map((field) => DEAL_COLUMN[field])];
    files.push(
      source(
        `${crm} deals`,
        "deals",
        crm,
        header,
        csv(
          header,
          page.deals.map((deal) => [deal.externalId, ...fields.map((field) => DEAL_CELLS[field](deal))]),
        ),
        stageMap,
      ),
    );
  }
  if (page.history.length) {
    const header = ["dealId", "at", "stage", "closeDate", "amount"];
    files.push(
      source(`${crm} history`, "stage-history", crm, header, csv(header, historyRows(page.history)), stageMap),
    );
  }
  if (page.activities.length) {
    const header = ["externalId", "dealId", "at", "type", "side", "summary", "done"];
    files.push(
      source(
        `${crm} activities`,
        "activities",
        crm,
        header,
        csv(
          header,
          page.activities.map((activity) => [
            activity.externalId,
            activity.dealId,
            iso(activity.at),
            activity.type,
            activity.side,
            activity.summary,
            activity.done ? "yes" : "no",
          ]),
        ),
      ),
    );
  }
  return files;
}

/**
 * Each history row carries the deal's whole state at that moment (as
 * Salesforce's OpportunityHistory does): the import reads an empty close date
 * or amount as "cleared", so values the moment does not mention are carried
 * forward from the moment before — and, before the first one the CRM
 * recorded, taken as that first value (CRMs record the value set at creation).
 */
export function historyRows(history: HistoryRecord[]): string[][] {
  const byDeal = new Map<string, HistoryRecord[]>();
  for (const record of history) {
    const list = byDeal.get(record.dealId) ?? [];
    list.push(record);
    byDeal.set(record.dealId, list);
  }
  const rows: string[][] = [];
  for (const [dealId, records] of byDeal) {
    records.sort((a, b) => a.at.getTime() - b.at.getTime());
    let closeDay = records.find((record) => record.closeDay !== undefined)?.closeDay;
    let amount = records.find((record) => record.amount !== undefined)?.amount;
    for (const record of records) {
      if (record.closeDay !== undefined) closeDay = record.closeDay;
      if (record.amount !== undefined) amount = record.amount;
      rows.push([dealId, record.at.toISOString(), record.stage, closeDay ?? "", amount ?? ""]);
    }
  }
  return rows;
}
