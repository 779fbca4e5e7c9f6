// A deals export's last-activity column (issue 10, finding 9): with no activity
// log imported at all, the CRM's own last-activity date still lets "untouched"
// be judged — and recomputing the rollups from activities never wipes it.
import { beforeEach, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { refreshRollups } from "@/lib/deals/history";
import { evaluateScope } from "@/lib/reviews/evaluate";
import { apply, dealByExternalId, text } from "./import-helpers";

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "Activity", "StageChange", "CloseDateChange", "AmountChange", "Flag", "Opportunity", "Account",
              "AuditEvent", "Stage", "Team", "User" CASCADE`,
  );
  await db.orgSettings.upsert({ where: { id: 1 }, create: { name: "Last activity" }, update: { asOf: null } });
});

const AS_OF_DAY = "2026-06-30";
const AS_OF = new Date(`${AS_OF_DAY}T23:59:59.999Z`);
// 2026-03-02 is 120 days before the as-of day; 2026-06-20 is 10 days before.
const deals = text(
  "deals.csv",
  [
    "deal_id,stage,owner,amount,created,last_activity",
    "L-OLD,Discovery,Ann,1000,2026-01-05,2026-03-02",
    "L-NEW,Discovery,Ann,1000,2026-01-05,2026-06-20",
  ].join("\n"),
);

async function untouchedVerdicts() {
  const sql = getConnection().sql;
  const evaluation = await evaluateScope(
    (text, params) => sql.query(text, params),
    { teamId: null, dealIds: null },
    AS_OF,
    { fromHistory: false },
  );
  const byExternalId = async (externalId: string) => {
    const deal = await dealByExternalId("csv", externalId);
    const verdict = evaluation.dealVerdicts.find((v) => v.dealId === deal.id);
    return {
      flagged: verdict?.flags.some((flag) => flag.rule === "untouched") ?? false,
      notJudged: verdict?.notJudged.some((item) => item.rule === "untouched") ?? false,
    };
  };
  return { old: await byExternalId("L-OLD"), recent: await byExternalId("L-NEW") };
}

describe("a deals export's last-activity column", () => {
  it("lets untouched fire on a 120-day-old last activity and not on a 10-day-old one, with no activities imported", async () => {
    const result = await apply([deals], { asOf: AS_OF_DAY });
    expect(result.rejectedRows).toBe(0);
    expect(result.quality.noActivitiesAtAll).toBe(true);
    const old = await dealByExternalId("csv", "L-OLD");
    expect(old.lastActivityAt?.toISOString().slice(0, 10)).toBe("2026-03-02");
    // The file's date says no side: the buyer and seller rollups stay unknown.
    expect(old.lastBuyerActivityAt).toBeNull();
    expect(old.lastSellerActivityAt).toBeNull();

    expect(await untouchedVerdicts()).toEqual({
      old: { flagged: true, notJudged: false },
      recent: { flagged: false, notJudged: false },
    });
  });

  it("survives a later rollup refresh, which takes the later of the file's date and the activities", async () => {
    await apply([deals], { asOf: AS_OF_DAY });
    const old = await dealByExternalId("csv", "L-OLD");
    await db.activity.create({
      data: {
        opportunityId: old.id,
        type: "call",
        side: "seller",
        at: new Date("2026-02-01T10:00:00Z"),
        summary: "Intro",
      },
    });
    await refreshRollups(db, [old.id]);
    const refreshed = await dealByExternalId("csv", "L-OLD");
    expect(refreshed.lastActivityAt?.toISOString().slice(0, 10)).toBe("2026-03-02");
    expect(refreshed.lastSellerActivityAt?.toISOString().slice(0, 10)).toBe("2026-02-01");

    await db.activity.create({
      data: {
        opportunityId: old.id,
        type: "call",
        side: "buyer",
        at: new Date("2026-06-25T10:00:00Z"),
        summary: "Call",
      },
    });
    await refreshRollups(db, [old.id]);
    expect((await dealByExternalId("csv", "L-OLD")).lastActivityAt?.toISOString().slice(0, 10)).toBe("2026-06-25");
  });
});
