// The flagged-deals list a manager takes away as CSV: every open deal in the
// viewer's scope with a current flag, each against its own team's cycle, with
// owner and team — and cells that could run as spreadsheet formulas made safe.
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { dealsToCsv } from "@/components/deals/deals-csv";
import { db, getConnection } from "@/lib/db";
import { listFlaggedDeals } from "@/lib/deals/flagged-deals-list";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const names: Record<string, number> = {};

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  // Old and untouched: flagged. Fresh with no activity for five days: not flagged.
  for (const [name, owner, openedDaysAgo] of [
    ['=HYPERLINK("http://evil.example") Ana\'s ancient deal', ana, 400],
    ["Ben's old deal", ben, 300],
    ["Wes's old deal", wes, 300],
    ["Ana's fresh deal", ana, 5],
  ] as const) {
    const deal = await createDeal(org, { owner, amount: 10_000, openedDaysAgo, name });
    names[name] = deal.id;
  }
  await runReview(getConnection().sql, {
    actorId: org.people.admin.userId,
    teamId: null,
    asOf: AS_OF,
    now: AS_OF,
    fromHistory: false,
  });
});

const dealNames = (rows: { name: string }[]) => rows.map((row) => row.name).sort();

describe("listFlaggedDeals", () => {
  it("gives a manager their team's flagged deals only, with owner and team", async () => {
    const rows = await listFlaggedDeals(org.people.centralManager, AS_OF);
    expect(dealNames(rows)).toEqual(['=HYPERLINK("http://evil.example") Ana\'s ancient deal', "Ben's old deal"]);
    expect(rows.every((row) => row.teamName === "Central" && row.flags.length > 0)).toBe(true);
    expect(rows.find((row) => row.name === "Ben's old deal")?.ownerName).toBe("Ben Rep");
  });

  it("gives an admin every team's, and a rep only their own", async () => {
    expect(await listFlaggedDeals(org.people.admin, AS_OF)).toHaveLength(3);
    expect(dealNames(await listFlaggedDeals(org.people.wes, AS_OF))).toEqual(["Wes's old deal"]);
    expect(await listFlaggedDeals(org.people.ana, AS_OF)).toHaveLength(1);
  });

  it("leaves out deals whose flags ended when they left the pipeline", async () => {
    const before = await listFlaggedDeals(org.people.admin, AS_OF);
    await db.flag.updateMany({ where: { opportunityId: names["Wes's old deal"] }, data: { endedAt: AS_OF } });
    const after = await listFlaggedDeals(org.people.admin, AS_OF);
    expect(after).toHaveLength(before.length - 1);
  });
});

describe("the flagged-deals CSV", () => {
  it("has owner and team columns, the explanations, and no cell a spreadsheet would run", async () => {
    const rows = await listFlaggedDeals(org.people.centralManager, AS_OF);
    const [header, ...lines] = parse(dealsToCsv(rows, true)) as string[][];
    expect(header?.slice(0, 6)).toEqual(["Deal id", "Source", "External id", "Owner", "Team", "Deal"]);
    const ancient = lines.find((line) => line[5]?.includes("ancient"));
    expect(ancient?.[3]).toBe("Ana Rep");
    expect(ancient?.[5]).toBe("'=HYPERLINK(\"http://evil.example\") Ana's ancient deal");
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: Number(ancient?.[0]) } });
    expect(ancient?.slice(1, 3)).toEqual([deal.source, deal.externalId ?? ""]);
    expect(ancient?.[header?.indexOf("Flag explanations") ?? -1]).toMatch(/Past its time: Open 400 days/);
    for (const line of lines) for (const cell of line) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});
