// The flagged-deals page (/deals): the same scope as the CSV, filtered by the
// URL's view — rep, stage, rule, severity and how long the deal has been
// flagged, counted from each flag episode's start (Flag.startedAt, or the
// as-of date for flags written before episodes were recorded).
import { subDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { getFlaggedDealsPage } from "@/lib/deals/flagged-deals-data";
import { parseFlaggedDealsView } from "@/lib/deals/flagged-view";
import { runReview } from "@/lib/reviews/mutations";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const ids: Record<string, number> = {};

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  for (const [name, owner, openedDaysAgo, stageId] of [
    ["Ana's ancient deal", ana, 400, org.stages.discovery],
    ["Ben's old demo", ben, 300, org.stages.demo],
    ["Wes's old deal", wes, 300, org.stages.discovery],
    ["Ana's fresh deal", ana, 5, org.stages.discovery],
  ] as const) {
    ids[name] = (await createDeal(org, { owner, amount: 10_000, openedDaysAgo, name, stageId })).id;
  }
  await runReview(getConnection().sql, {
    actorId: org.people.admin.userId,
    teamId: null,
    asOf: AS_OF,
    now: AS_OF,
    fromHistory: false,
  });
  // Ana's ancient deal has been flagged for ten weeks; Ben's was first found by this review.
  await db.flag.updateMany({
    where: { opportunityId: ids["Ana's ancient deal"] },
    data: { startedAt: subDays(AS_OF, 70) },
  });
});

const names = (page: Awaited<ReturnType<typeof getFlaggedDealsPage>>) => page.deals.rows.map((row) => row.name).sort();
const view = (params: Record<string, string>) => parseFlaggedDealsView(params);

describe("getFlaggedDealsPage", () => {
  it("shows a manager their team's flagged deals, with the reps and stages to filter by", async () => {
    const page = await getFlaggedDealsPage(org.people.centralManager, AS_OF, view({}));
    expect(names(page)).toEqual(["Ana's ancient deal", "Ben's old demo"]);
    expect(page.flaggedInScope).toBe(2);
    expect(page.reps.map((rep) => rep.name)).toEqual(["Ana Rep", "Ben Rep"]);
    expect(page.stages.map((stage) => stage.name)).toContain("Demo");
  });

  it("filters by rep and by stage", async () => {
    const { centralManager, ben } = org.people;
    expect(names(await getFlaggedDealsPage(centralManager, AS_OF, view({ rep: ben.userId })))).toEqual([
      "Ben's old demo",
    ]);
    expect(
      names(await getFlaggedDealsPage(centralManager, AS_OF, view({ stage: String(org.stages.discovery) }))),
    ).toEqual(["Ana's ancient deal"]);
    // Another team's rep in the URL shows nothing of theirs.
    expect(names(await getFlaggedDealsPage(centralManager, AS_OF, view({ rep: org.people.wes.userId })))).toEqual([]);
  });

  it("filters by rule and severity", async () => {
    const { admin } = org.people;
    const pastItsTime = await getFlaggedDealsPage(admin, AS_OF, view({ rule: "past-its-time" }));
    expect(names(pastItsTime)).toEqual(["Ana's ancient deal", "Ben's old demo", "Wes's old deal"]);
    expect(names(await getFlaggedDealsPage(admin, AS_OF, view({ severity: "warning" })))).toEqual([]);
  });

  it("counts how long a deal has been flagged from its episode's start", async () => {
    const { centralManager } = org.people;
    const all = await getFlaggedDealsPage(centralManager, AS_OF, view({}));
    const flaggedFor = Object.fromEntries(all.deals.rows.map((row) => [row.name, row.flaggedForDays]));
    expect(flaggedFor).toEqual({ "Ana's ancient deal": 70, "Ben's old demo": 0 });
    expect(names(await getFlaggedDealsPage(centralManager, AS_OF, view({ weeks: "9" })))).toEqual([
      "Ana's ancient deal",
    ]);
    expect(names(await getFlaggedDealsPage(centralManager, AS_OF, view({ weeks: "10" })))).toEqual([]);
  });

  it("pages the list and keeps a rep to their own deals", async () => {
    const page = await getFlaggedDealsPage(org.people.admin, AS_OF, view({ page: "5" }));
    expect(page.deals).toMatchObject({ total: 3, page: 1, pageCount: 1, from: 1, to: 3 });
    expect(names(await getFlaggedDealsPage(org.people.wes, AS_OF, view({})))).toEqual(["Wes's old deal"]);
  });
});
