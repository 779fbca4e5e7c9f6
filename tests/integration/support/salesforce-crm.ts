// The CRM whose exports the import tests import (incremental-import,
// snapshots-totals): its deals as Salesforce holds them, and its
// opportunities export, every deal as it is now, as the real import
// (lib/import/run.ts) reads it.
import type { SeededRandom } from "@/lib/seeded-random";

export const OPEN_STAGES = ["Discovery", "Qualification", "Demo", "Proposal", "Negotiation"] as const;

/** A deal as the CRM holds it: each export writes every deal as it is now. */
export interface CrmDeal {
  id: string;
  account: string;
  name: string;
  stage: (typeof OPEN_STAGES)[number];
  state: "open" | "won" | "lost";
  amount: number;
  closeDate: string;
  owner: string;
  created: Date;
}

export const day = (date: Date) => date.toISOString().slice(0, 10);
export const salesforceInstant = (date: Date) => `${date.toISOString().slice(0, 19)}.000+0000`;

/** The opportunities export (a Salesforce report's columns). */
export function opportunitiesFile(deals: readonly CrmDeal[]): string {
  const rows = deals.map((deal) => {
    const stage = deal.state === "won" ? "Closed Won" : deal.state === "lost" ? "Closed Lost" : deal.stage;
    const closed = deal.state !== "open";
    return [
      deal.id,
      deal.account,
      deal.name,
      stage,
      deal.amount.toFixed(2),
      deal.closeDate,
      deal.owner,
      salesforceInstant(deal.created),
      String(closed),
      String(deal.state === "won"),
    ].join(",");
  });
  return ["Id,Account.Name,Name,StageName,Amount,CloseDate,Owner.Name,CreatedDate,IsClosed,IsWon", ...rows].join("\n");
}

/** `count` different items picked at random (all of them when there are no more). */
export function some<T>(random: SeededRandom, items: T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(random.pick(items));
  return [...chosen];
}
