// The data-quality report in the import's PREVIEW (issue 10, finding 9): it
// describes the database as the import would leave it — the deals the files
// bring plus what the database already holds — and writes nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { apply, databaseState, preview, text } from "./import-helpers";

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "Activity", "StageChange", "CloseDateChange", "AmountChange", "Flag", "Opportunity", "Account",
              "AuditEvent", "Stage", "Team", "User" CASCADE`,
  );
  await db.orgSettings.upsert({ where: { id: 1 }, create: { name: "Preview" }, update: { asOf: null } });
});

const deals = (rows: string[]) => text("deals.csv", ["deal_id,stage,owner,amount,created", ...rows].join("\n"));

describe("the preview's data-quality report", () => {
  it("reports deals without activities as the import would leave them, and writes nothing", async () => {
    const before = await databaseState();
    const result = await preview([
      deals(["P-1,Discovery,Ann,1000,2026-01-01", "P-2,Discovery,Ann,,2026-01-02", "P-3,Proposal,Bob,500,2026-01-03"]),
    ]);
    expect(result.blockers).toEqual([]);
    expect(result.quality).toEqual({
      openDeals: 3,
      noActivity: 3,
      noBuyerActivity: 3,
      noStageHistory: 3,
      noAmount: 1,
      noTeam: 3,
      noActivitiesAtAll: true,
      prospectsWithoutOpenedDate: 0,
    });
    expect(await databaseState()).toEqual(before);
  });

  it("adds the files' deals and activities to what the database already holds", async () => {
    await apply([deals(["H-1,Discovery,Ann,1000,2026-01-01", "H-2,Discovery,Ann,2000,2026-01-02"])]);
    const before = await databaseState();
    const calls = text("calls.csv", "Deal,When,Direction,Summary\nH-1,2026-02-01 10:00,inbound,Asked for pricing\n", {
      kind: "activities",
      mapping: { source: "csv", columns: { dealId: "Deal", at: "When", side: "Direction", summary: "Summary" } },
    });
    const result = await preview([deals(["H-3,Discovery,Bob,,2026-01-03"]), calls]);
    expect(result.blockers).toEqual([]);
    expect(result.quality).toMatchObject({
      openDeals: 3,
      noActivity: 2,
      noBuyerActivity: 2,
      noAmount: 1,
      noActivitiesAtAll: false,
    });
    expect(await databaseState()).toEqual(before);
  });

  it("has no report when the import would be refused", async () => {
    const result = await preview([deals(["R-1,Discovery,Ann,1000,not a date"])]);
    expect(result.blockers.length).toBeGreaterThan(0);
    expect(result.quality).toBeNull();
  });
});
