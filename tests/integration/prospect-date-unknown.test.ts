// Issue 10, finding 6: a prospect row without an opened date is stored with
// none ("date unknown") — never the import's moment or the as-of date —, is
// counted in the data-quality report, and is left out of what needs the date.
// Reopened, it becomes a new opportunity opened at the reopening (SPEC
// "Return to prospecting"). Open, won and lost deals cannot lack the date: the
// database refuses it.
import { beforeEach, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { describeDataQuality, getDataQuality } from "@/lib/import/quality";
import { runReview } from "@/lib/reviews/mutations";
import { apply, dealByExternalId, text } from "./import-helpers";

/** The organisation's fixed as-of date (a historical export) and the day the import runs. */
const FIXED_AS_OF = new Date("2026-03-31T23:00:00.000Z");
const IMPORTED_AT = new Date("2026-06-01T09:00:00.000Z");

const deals = (rows: string[]) => text("deals.csv", ["deal_id,stage,owner,amount,created,status", ...rows].join("\n"));

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "Activity", "StageChange", "CloseDateChange", "AmountChange", "Flag", "Decision", "Waiver",
              "Opportunity", "Account", "AuditEvent", "Stage", "Team", "User" CASCADE`,
  );
  await db.orgSettings.upsert({
    where: { id: 1 },
    create: { name: "Date unknown", asOf: FIXED_AS_OF },
    update: { asOf: FIXED_AS_OF },
  });
});

describe("a prospect without an opened date", () => {
  it("is stored with no opened date (not the as-of date nor the import's time) and counted", async () => {
    const result = await apply(
      [
        deals([
          "D-1,Discovery,Ann,1000,2026-01-05,open",
          "D-2,Discovery,Ann,2000,,prospect",
          "D-3,Discovery,Bob,3000,,prospect",
          "D-4,Discovery,Bob,4000,2026-02-01,prospect",
        ]),
      ],
      {},
      { now: IMPORTED_AT },
    );
    expect(result.files[0]?.counts.rejected).toBe(0);
    expect((await dealByExternalId("csv", "D-2")).openedAt).toBeNull();
    expect((await dealByExternalId("csv", "D-3")).openedAt).toBeNull();
    expect((await dealByExternalId("csv", "D-4")).openedAt?.toISOString()).toBe("2026-02-01T12:00:00.000Z");

    // Counted in the report the import, the command line and the overview show.
    expect(result.quality.prospectsWithoutOpenedDate).toBe(2);
    expect(describeDataQuality(result.quality)).toContain(
      '2 prospects have no opened date: shown as "date unknown" and left out of figures that need the date (add a Created / Opened date column to count them).',
    );
    expect((await getDataQuality(db)).prospectsWithoutOpenedDate).toBe(2);

    // Prospects are not reviewed; the review runs over the open deal alone.
    const { totals } = await runReview(getConnection().sql, {
      actorId: null,
      teamId: null,
      asOf: FIXED_AS_OF,
      now: IMPORTED_AT,
      fromHistory: true,
    });
    expect(totals.openDeals).toBe(1);
  });

  it("says nothing about prospects when every one has its date", async () => {
    const result = await apply([deals(["E-1,Discovery,Ann,1000,2026-01-05,prospect"])], {}, { now: IMPORTED_AT });
    expect(result.quality.prospectsWithoutOpenedDate).toBe(0);
    expect(describeDataQuality(result.quality).join(" ")).not.toMatch(/prospect/);
  });

  it("reopened without a date, becomes a new opportunity opened at the reopening", async () => {
    await db.orgSettings.update({ where: { id: 1 }, data: { asOf: null } });
    await apply([deals(["R-1,Discovery,Ann,1000,,prospect"])], {}, { now: IMPORTED_AT });
    expect((await dealByExternalId("csv", "R-1")).openedAt).toBeNull();

    const reopenedAt = new Date("2026-06-08T10:00:00.000Z");
    const second = await apply([deals(["R-1,Discovery,Ann,1500,,open"])], {}, { now: reopenedAt });
    expect(second.files[0]?.counts.rejected).toBe(0);
    const reopened = await dealByExternalId("csv", "R-1");
    expect(reopened).toMatchObject({ status: "open", stage: { name: "Discovery" } });
    expect(reopened.openedAt).toEqual(reopenedAt);
    const moves = await db.stageChange.findMany({ where: { opportunityId: reopened.id }, orderBy: { id: "asc" } });
    expect(moves.map((move) => move.direction)).toContain("reopened");
    expect(second.quality.prospectsWithoutOpenedDate).toBe(0);
  });

  it("is the only deal that may lack the date: the database refuses an open deal without one", async () => {
    await apply([deals(["C-1,Discovery,Ann,1000,,prospect"])], {}, { now: IMPORTED_AT });
    const prospect = await dealByExternalId("csv", "C-1");
    await expect(db.opportunity.update({ where: { id: prospect.id }, data: { status: "open" } })).rejects.toThrow(
      /Opportunity_openedAt_unless_prospect/,
    );
    expect((await dealByExternalId("csv", "C-1")).status).toBe("prospect");
  });
});
