// A deal list as CSV, safe to open in a spreadsheet: any cell starting with
// = + - @ (or a tab / carriage return, which some spreadsheets skip before
// reading a formula) is prefixed with ' so it is shown as text, never run as
// a formula (CSV / formula injection; OWASP). Numbers are written as plain
// numbers, not neutralised, so they stay numbers. Each row carries the CRM's
// source and external id beside the app's id, so it can be matched back.
import { stringify } from "csv-stringify/sync";
import type { DealRowView } from "@/lib/deals/deal-row-view";
import { centsToMoney } from "./money";

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : "");

export const DEAL_CSV_HEADER = [
  "Deal id",
  "Source",
  "External id",
  "Deal",
  "Account",
  "Stage",
  "Amount",
  "Currency",
  "Age (days)",
  "Age (× cycle)",
  "Days in stage",
  "Last activity",
  "Last buyer activity",
  "Expected close",
  "Close date pushes",
  "Flags",
  "Flag explanations",
  "Waivers",
  "Next step",
] as const;

/** Who owns each deal, for lists that span reps (flagged deals of a team). */
export interface DealOwnerColumns {
  ownerName: string;
  teamName: string | null;
}

export function dealsToCsv(deals: readonly (DealRowView & Partial<DealOwnerColumns>)[], withOwner = false): string {
  const rows = deals.map((deal) => {
    const text = [
      deal.name,
      deal.accountName ?? "",
      deal.stageName,
      deal.flags.map((flag) => flag.label).join("; "),
      deal.flags.map((flag) => `${flag.label}: ${flag.explanation}`).join(" | "),
      deal.waivers
        .map(
          (waiver) =>
            `${waiver.kind === "manager_keep" ? "Kept" : "Waiting on buyer"} until ${day(waiver.until)}: ${waiver.reason}`,
        )
        .join(" | "),
      deal.nextStep ?? "",
    ].map(neutraliseCell);
    const [name, account, stage, flags, explanations, waivers, nextStep] = text;
    const origin = [neutraliseCell(deal.source), neutraliseCell(deal.externalId ?? "")];
    const owner = withOwner ? [neutraliseCell(deal.ownerName ?? ""), neutraliseCell(deal.teamName ?? "")] : [];
    return [
      deal.id,
      ...origin,
      ...owner,
      name,
      account,
      stage,
      centsToMoney(deal.amountCents),
      deal.currency,
      deal.ageDays,
      deal.ageMultiple,
      deal.daysInStage ?? "",
      day(deal.lastActivityAt),
      day(deal.lastBuyerActivityAt),
      day(deal.expectedCloseDate),
      deal.closeDatePushCount,
      flags,
      explanations,
      waivers,
      nextStep,
    ];
  });
  const header = withOwner
    ? [...DEAL_CSV_HEADER.slice(0, 3), "Owner", "Team", ...DEAL_CSV_HEADER.slice(3)]
    : [...DEAL_CSV_HEADER];
  return stringify([header, ...rows]);
}

/** A CSV file download, with a BOM so spreadsheets read it as UTF-8 (names with accents, “quotes”). */
export function csvDownload(csv: string, fileName: string): Response {
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
