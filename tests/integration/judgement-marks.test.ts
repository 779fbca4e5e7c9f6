// A change to anything a review reads of a deal marks the deal's judgement,
// whoever writes it, so the next review judges it again (issue 13: the repeat
// review's plan reads marks instead of fingerprinting every open deal; see
// lib/reviews/incremental.ts and migration *_deal_judgement_marks).
//
// The oracle is the fingerprint the plan used to compute every day: a hash of
// every column the review reads of the deal, its owner's team and its stage.
// After each change made in SQL, the judgements the triggers marked must be
// exactly the deals whose fingerprint moved — never fewer (a wrong verdict
// kept), never more (work for nothing). Then the next review must judge the
// changed deal again and leave an untouched deal of the same test alone, and
// a full review of the same as-of must find nothing left to write. The same
// holds through the app's own write paths: deal actions, the people and
// stage settings, and a re-import.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { logActivityAction, moveDealBackAction, updateDealAction } from "@/lib/deals/actions";
import { runReview } from "@/lib/reviews/mutations";
import { saveStagesAction } from "@/lib/settings/actions";
import { updateUserAction } from "@/lib/users/actions";
import { signInAs } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, logActivities, type SmallOrg } from "../fixtures/small-org";
import { apply, text } from "./import-helpers";
import { fullReviewWrites, sql } from "./support/review-comparison";

const DAY = 86_400_000;
let org: SmallOrg;

/** Every test reviews as of its own date, later than any other test's, whatever the order. */
let clock = AS_OF.getTime();
const nextAsOf = () => {
  clock += 30 * DAY;
  return new Date(clock);
};

/** The facts fingerprint the plan computed for every open deal until the marks replaced it. */
const OLD_FINGERPRINT = `hash_record_extended(ROW(o.status, o.name, o."ownerId", u."teamId", o."stageId",
  st.name, st."order", st."maxDaysInStage", o.amount, o.currency, o."openedAt", o."expectedCloseDate",
  o."lastActivityAt", o."lastBuyerActivityAt", o."lastSellerActivityAt", o."stageEnteredAt", o."lastForwardMoveAt",
  o."closeDatePushCount"), 0)::text`;

/** Every judged deal's fingerprint now. */
async function fingerprints(): Promise<Map<number, string>> {
  const rows = await sql().query<{ id: number; key: string }>(
    `SELECT o.id, ${OLD_FINGERPRINT} AS key FROM "DealJudgement" j
       JOIN "Opportunity" o ON o.id = j."opportunityId"
       JOIN "User" u ON u.id = o."ownerId" JOIN "Stage" st ON st.id = o."stageId"`,
  );
  return new Map(rows.map((row) => [Number(row.id), row.key]));
}

async function markedDeals(): Promise<number[]> {
  const rows = await sql().query<{ id: number }>(
    `SELECT "opportunityId" AS id FROM "DealJudgement" WHERE "factsChanged" ORDER BY 1`,
  );
  return rows.map((row) => Number(row.id));
}

async function review(asOf: Date) {
  const result = await runReview(sql(), { actorId: null, teamId: null, asOf, now: asOf, fromHistory: false });
  expect(result.totals.judged, "the review after the first builds on the judgements").toMatchObject({
    mode: "incremental",
  });
  return result;
}

/** Open deals of this test, active on both sides the day before asOf, reviewed once (judged, unmarked). */
async function judgedDeals(asOf: Date, owner: Viewer, count: number, stageId = org.stages.demo): Promise<number[]> {
  const ids: number[] = [];
  const offset = Math.round((asOf.getTime() - AS_OF.getTime()) / DAY);
  for (let index = 0; index < count; index++) {
    const deal = await createDeal(org, { owner, amount: 5_000, openedDaysAgo: 20 - offset, stageId });
    await logActivities(deal.id, [
      { daysAgo: 1 - offset, side: "buyer" },
      { daysAgo: 1 - offset, side: "seller" },
    ]);
    ids.push(deal.id);
  }
  await review(asOf);
  expect(await markedDeals(), "a review leaves no judgement marked").toEqual([]);
  return ids;
}

/**
 * Backdates the judgements of `dealIds` (to the day before asOf: no recheck
 * comes of it), so "judged again" can be read afterwards, whether the next
 * review or an action's own re-evaluation did it.
 */
async function stampJudgements(asOf: Date, dealIds: number[]) {
  await sql().query(`UPDATE "DealJudgement" SET "judgedAsOf" = $1 WHERE "opportunityId" = ANY($2::int[])`, [
    new Date(asOf.getTime() - DAY),
    dealIds,
  ]);
}

/** Which of `dealIds` were judged again since stampJudgements (or forgotten: no longer judged at all). */
async function judgedAgain(asOf: Date, dealIds: number[]): Promise<number[]> {
  const rows = await sql().query<{ id: number }>(
    `SELECT id FROM unnest($1::int[]) AS d(id)
      WHERE NOT EXISTS (SELECT 1 FROM "DealJudgement" j WHERE j."opportunityId" = d.id AND j."judgedAsOf" = $2)`,
    [dealIds, new Date(asOf.getTime() - DAY)],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** The next review judges `changed` again, not `untouched`, and leaves nothing for a full review to find. */
async function expectRejudged(asOf: Date, changed: number[], untouched: number[]) {
  await review(asOf);
  expect(await judgedAgain(asOf, [...changed, ...untouched])).toEqual([...changed].sort((a, b) => a - b));
  expect(await fullReviewWrites(asOf), "a full review of the same as-of").toEqual({ started: 0, ended: 0, changed: 0 });
}

beforeAll(async () => {
  org = await createSmallOrg();
  // The first review is a full one; every later one builds on the judgements it leaves.
  // A judged deal with activities: a review with neither would make the next one full again.
  const first = await createDeal(org, { owner: org.people.ana, amount: 1_000, openedDaysAgo: 10 });
  await logActivities(first.id, [{ daysAgo: 2, side: "buyer" }]);
  await runReview(sql(), { actorId: null, teamId: null, asOf: AS_OF, now: AS_OF, fromHistory: false });
});

type Change = (input: { deal: number; asOf: Date }) => Promise<unknown>;

/** A change to one column of the deal, written in SQL (no app code to remember anything). */
const dealColumn =
  (assignment: string, params: (asOf: Date) => unknown[] = () => []): Change =>
  ({ deal, asOf }) =>
    sql().query(`UPDATE "Opportunity" SET ${assignment} WHERE id = $1`, [deal, ...params(asOf)]);

describe("a change made in SQL marks exactly the deals whose fingerprint it moves", () => {
  const cases: [string, Change][] = [
    ["name", dealColumn(`name = name || ' (renamed)'`)],
    [
      "owner (same team)",
      ({ deal }) => sql().query(`UPDATE "Opportunity" SET "ownerId" = $2 WHERE id = $1`, [deal, org.people.ben.userId]),
    ],
    [
      "owner (other team)",
      ({ deal }) => sql().query(`UPDATE "Opportunity" SET "ownerId" = $2 WHERE id = $1`, [deal, org.people.wes.userId]),
    ],
    [
      "stage",
      ({ deal }) => sql().query(`UPDATE "Opportunity" SET "stageId" = $2 WHERE id = $1`, [deal, org.stages.proposal]),
    ],
    ["amount", dealColumn(`amount = amount + 1`)],
    ["currency", dealColumn(`currency = 'EUR'`)],
    ["opened date", dealColumn(`"openedAt" = "openedAt" - interval '40 days'`)],
    ["expected close date", dealColumn(`"expectedCloseDate" = $2::date`, (asOf) => [addDays(asOf, -3)])],
    ["last activity", dealColumn(`"lastActivityAt" = $2`, (asOf) => [addDays(asOf, -30)])],
    ["last buyer activity", dealColumn(`"lastBuyerActivityAt" = $2`, (asOf) => [addDays(asOf, -30)])],
    ["last seller activity", dealColumn(`"lastSellerActivityAt" = $2`, (asOf) => [addDays(asOf, -30)])],
    ["stage entered", dealColumn(`"stageEnteredAt" = $2`, (asOf) => [addDays(asOf, -90)])],
    ["last forward move", dealColumn(`"lastForwardMoveAt" = $2`, (asOf) => [addDays(asOf, -90)])],
    ["close date pushes", dealColumn(`"closeDatePushCount" = "closeDatePushCount" + 3`)],
    ["status (lost: leaves the pipeline)", dealColumn(`status = 'lost', "closedAt" = $2`, (asOf) => [asOf])],
    [
      "an activity added",
      ({ deal, asOf }) =>
        logActivities(deal, [{ daysAgo: Math.round((AS_OF.getTime() - asOf.getTime()) / DAY) + 2, side: "buyer" }]),
    ],
  ];

  it.each(cases)("%s", async (_name, change) => {
    const asOf = nextAsOf();
    const [deal, untouched] = (await judgedDeals(asOf, org.people.ana, 2)) as [number, number];
    await stampJudgements(asOf, [deal, untouched]);
    const before = await fingerprints();
    await change({ deal, asOf });
    const after = await fingerprints();
    const moved = [...before].filter(([id, key]) => after.get(id) !== key).map(([id]) => id);
    // An activity is no column of the deal: its own trigger marks the deal (the fingerprint never saw it).
    if (_name !== "an activity added") expect(moved, "the fingerprint moved for the changed deal only").toEqual([deal]);
    expect(await markedDeals()).toEqual([deal]);
    await expectRejudged(asOf, [deal], [untouched]);
  });

  it("marks nothing when no column the review reads changed, or a column was set to what it was", async () => {
    const asOf = nextAsOf();
    const deals = await judgedDeals(asOf, org.people.ana, 2);
    await stampJudgements(asOf, deals);
    await sql().query(
      `UPDATE "Opportunity" SET "nextStep" = 'Call back', version = version + 1, "updatedAt" = now(),
              amount = amount, "stageId" = "stageId", "lastActivityAt" = "lastActivityAt"
        WHERE id = ANY($1::int[])`,
      [deals],
    );
    await sql().query(`UPDATE "User" SET name = name, "teamId" = "teamId"`);
    await sql().query(`UPDATE "Stage" SET probability = probability + 1, early = early`);
    expect(await markedDeals()).toEqual([]);
    await expectRejudged(asOf, [], deals);
  });

  it("an owner moved to another team: all their deals, not the other reps'", async () => {
    const asOf = nextAsOf();
    const rep = await db.user.create({
      data: {
        name: "Moving Rep",
        role: "rep",
        teamId: org.teams.central,
        email: `moving.${asOf.getTime()}@test.example`,
      },
    });
    const owner: Viewer = { userId: rep.id, name: rep.name, role: "rep", teamId: rep.teamId };
    const theirs = await judgedDeals(asOf, owner, 2);
    const [other] = await judgedDeals(asOf, org.people.ana, 1);
    await stampJudgements(asOf, [...theirs, other as number]);
    const before = await fingerprints();
    await sql().query(`UPDATE "User" SET "teamId" = $2 WHERE id = $1`, [rep.id, org.teams.west]);
    const after = await fingerprints();
    expect([...before].filter(([id, key]) => after.get(id) !== key).map(([id]) => id)).toEqual(theirs);
    expect(await markedDeals()).toEqual(theirs);
    await expectRejudged(asOf, theirs, [other as number]);
  });

  it.each([
    ["renamed", `name = name || ' (renamed)'`],
    ["moved in the pipeline", `"order" = "order" + 100`],
    ["given a limit", `"maxDaysInStage" = 5`],
  ])("a stage %s: its deals, not another stage's", async (_name, assignment) => {
    const asOf = nextAsOf();
    const stage = await db.stage.create({
      data: { name: `Stage ${asOf.getTime()}`, order: 10 + Math.round(asOf.getTime() / DAY), probability: 50 },
    });
    const inStage = await judgedDeals(asOf, org.people.ana, 2, stage.id);
    const [other] = await judgedDeals(asOf, org.people.ana, 1, org.stages.demo);
    await stampJudgements(asOf, [...inStage, other as number]);
    const before = await fingerprints();
    await sql().query(`UPDATE "Stage" SET ${assignment} WHERE id = $1`, [stage.id]);
    const after = await fingerprints();
    expect([...before].filter(([id, key]) => after.get(id) !== key).map(([id]) => id)).toEqual(inStage);
    expect(await markedDeals()).toEqual(inStage);
    await expectRejudged(asOf, inStage, [other as number]);
  });

  it("one statement over many deals marks each deal it moved and none it left as it was", async () => {
    const asOf = nextAsOf();
    const deals = await judgedDeals(asOf, org.people.wes, 6);
    await stampJudgements(asOf, deals);
    const moved = deals.filter((_, index) => index % 2 === 0);
    await sql().query(
      `UPDATE "Opportunity" SET amount = CASE WHEN id = ANY($2::int[]) THEN amount + 10 ELSE amount END,
              "nextStep" = 'Same facts' WHERE id = ANY($1::int[])`,
      [deals, moved],
    );
    expect(await markedDeals()).toEqual(moved);
    await expectRejudged(
      asOf,
      moved,
      deals.filter((id) => !moved.includes(id)),
    );
  });
});

describe("the app's own write paths", () => {
  it("deal actions: the changed deal is judged again (by the action or the next review), the other is not", async () => {
    await signInAs(org.people.centralManager);
    const asOf = nextAsOf();
    const [updated, movedBack, logged, untouched] = (await judgedDeals(
      asOf,
      org.people.ana,
      4,
      org.stages.proposal,
    )) as [number, number, number, number];
    await stampJudgements(asOf, [updated, movedBack, logged, untouched]);
    const version = async (id: number) => (await db.opportunity.findUniqueOrThrow({ where: { id } })).version;
    expect(await updateDealAction({ dealId: updated, version: await version(updated), amount: "7500" })).toMatchObject({
      ok: true,
    });
    expect(
      await moveDealBackAction({ dealId: movedBack, version: await version(movedBack), reason: "Not ready" }),
    ).toMatchObject({
      ok: true,
    });
    // Logged as happening before both this test's as-of date and the real now (no activity in the future).
    const at = new Date(Math.min(asOf.getTime(), Date.now()) - DAY);
    expect(
      await logActivityAction({ dealId: logged, type: "call", side: "buyer", at: at.toISOString() }),
    ).toMatchObject({ ok: true });
    await expectRejudged(asOf, [updated, movedBack, logged], [untouched]);
  });

  it("the people settings move a rep to another team: their deals are judged again", async () => {
    await signInAs(org.people.admin);
    const asOf = nextAsOf();
    const rep = await db.user.create({
      data: {
        name: "Settled Rep",
        role: "rep",
        teamId: org.teams.west,
        email: `settled.${asOf.getTime()}@test.example`,
      },
    });
    const owner: Viewer = { userId: rep.id, name: rep.name, role: "rep", teamId: rep.teamId };
    const theirs = await judgedDeals(asOf, owner, 2);
    const [other] = await judgedDeals(asOf, org.people.wes, 1);
    await stampJudgements(asOf, [...theirs, other as number]);
    const form = new FormData();
    for (const [key, value] of Object.entries({ userId: rep.id, role: "rep", teamId: org.teams.central }))
      form.set(key, value);
    expect(await updateUserAction(null, form)).toMatchObject({ ok: true });
    expect(await markedDeals()).toEqual(theirs);
    await expectRejudged(asOf, theirs, [other as number]);
  });

  it("the stage settings give a stage a limit: its deals are judged again", async () => {
    await signInAs(org.people.admin);
    const asOf = nextAsOf();
    const inDemo = await judgedDeals(asOf, org.people.ben, 2, org.stages.demo);
    const [other] = await judgedDeals(asOf, org.people.ben, 1, org.stages.qualification);
    await stampJudgements(asOf, [...inDemo, other as number]);
    const demo = await db.stage.findUniqueOrThrow({ where: { id: org.stages.demo } });
    const form = new FormData();
    form.set(`stage-${demo.id}-order`, String(demo.order));
    form.set(`stage-${demo.id}-probability`, String(demo.probability));
    form.set(`stage-${demo.id}-maxDaysInStage`, String((demo.maxDaysInStage ?? 60) - 1));
    expect(await saveStagesAction(null, form)).toMatchObject({ ok: true, data: { changed: 1 } });
    // Every deal in Demo is marked, this test's and earlier tests' alike.
    const marked = await markedDeals();
    expect(marked).toEqual(expect.arrayContaining(inDemo));
    expect(marked).not.toContain(other);
    await expectRejudged(asOf, inDemo, [other as number]);
  });

  it("a re-import that changes one deal's amount and another's stage: those two are judged again", async () => {
    const asOf = nextAsOf();
    const created = new Date(asOf.getTime() - 20 * DAY);
    const instant = (date: Date) => `${date.toISOString().slice(0, 19)}.000+0000`;
    const closeDate = addDays(asOf, 30).toISOString().slice(0, 10);
    const tag = asOf.getTime().toString(36);
    const file = (rows: [string, string, string][]) =>
      [
        "Id,Account.Name,Name,StageName,Amount,CloseDate,Owner.Name,CreatedDate,IsClosed,IsWon",
        ...rows.map(([id, stage, amount]) =>
          [id, "Acme", `Imported ${id}`, stage, amount, closeDate, "Ana Rep", instant(created), "false", "false"].join(
            ",",
          ),
        ),
      ].join("\n");
    const ids = [`006M${tag}1`, `006M${tag}2`, `006M${tag}3`];
    await apply(
      [
        text(
          "opportunities.csv",
          file([
            [ids[0] as string, "Demo", "1000.00"],
            [ids[1] as string, "Demo", "2000.00"],
            [ids[2] as string, "Demo", "3000.00"],
          ]),
        ),
      ],
      {},
      { now: asOf },
    );
    await review(asOf);
    const deals = await db.opportunity.findMany({ where: { externalId: { in: ids } }, orderBy: { externalId: "asc" } });
    const [amountChanged, stageChanged, untouched] = deals.map((deal) => deal.id) as [number, number, number];
    await stampJudgements(asOf, [amountChanged, stageChanged, untouched]);
    await apply(
      [
        text(
          "opportunities.csv",
          file([
            [ids[0] as string, "Demo", "1500.00"],
            [ids[1] as string, "Proposal", "2000.00"],
            [ids[2] as string, "Demo", "3000.00"],
          ]),
        ),
      ],
      {},
      { now: asOf },
    );
    await expectRejudged(asOf, [amountChanged, stageChanged], [untouched]);
  });
});
