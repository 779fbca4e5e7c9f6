// A review's snapshots (lib/reviews/snapshots.ts) and stored totals
// (lib/reviews/stored-totals.ts) read the open pipeline from RepFigures and
// aggregate only what the figures lack. Here they are compared with the
// statements they replaced, which re-aggregated every deal of the
// organisation (kept below, verbatim, as the reference), after every review
// of a seeded random sequence of writes through the real write paths — deal
// actions, CRM imports (new deals, deals won, lost, reopened and handed over),
// a stage's probability edited — and reviews of every kind: incremental, of a
// team, full, of history (as of a past date: most reps then have deals opened
// after it) and as of an instant before the newest deal was opened. A new rep
// with deals but no figures row yet is counted from their deals.
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";
import { pgArray } from "@/lib/db/bulk-sql";
import { refreshRollups } from "@/lib/deals/history";
import {
  keepDealWithWaiver,
  logDealActivity,
  removeDealFromPipeline,
  returnDealToProspecting,
  updateDealDetails,
} from "@/lib/deals/mutations";
import { refreshRepFigures } from "@/lib/figures/mutations";
import type { Evaluation } from "@/lib/reviews/evaluate";
import { openInScopeSql } from "@/lib/reviews/judgements";
import { runReview, snapshotWeek } from "@/lib/reviews/mutations";
import { storedTotals } from "@/lib/reviews/stored-totals";
import { seededRandom } from "@/lib/seeded-random";
import { saveStages } from "@/lib/settings/mutations";
import { AS_OF, createDeal, createSmallOrg, createWonDeals, logActivities, type SmallOrg } from "../fixtures/small-org";
import { apply, text } from "./import-helpers";
import { query, sql } from "./support/review-comparison";
import { type CrmDeal, day, OPEN_STAGES, opportunitiesFile, some } from "./support/salesforce-crm";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const random = seededRandom(Number(process.env.SNAPSHOTS_TOTALS_SEED ?? 1313));
let org: SmallOrg;

/** Every write and review is later than the last. */
let clock = AS_OF.getTime();
const later = (ms: number) => {
  clock += ms;
  return new Date(clock);
};

// ---- The reference: the statements as they were before RepFigures answered for the open pipeline ----

/** The snapshot statement that aggregated every deal of every rep in scope. */
function referenceSnapshotSql(staleIds: number[] | "current flags"): string {
  const staleSource =
    staleIds === "current flags"
      ? `(SELECT DISTINCT f."opportunityId" AS id FROM "Flag" f
           WHERE f."endedAt" IS NULL AND f.severity = 'stale' AND f."opportunityId" IS NOT NULL
             AND $4::text IS NULL)`
      : `unnest($4::text::int[])`;
  return `INSERT INTO "PipelineSnapshot" ("userId", "weekStart", "reviewId", "openCount", "openValue", "weightedValue",
                                     "staleCount", "staleValue", "newPipelineValue", "wonValue", "updatedAt")
     SELECT u.id, $1::date, $2,
            count(o.id) FILTER (WHERE o.status = 'open' AND o."openedAt" <= $3)::int,
            coalesce(sum(o.amount) FILTER (WHERE o.status = 'open' AND o."openedAt" <= $3), 0),
            coalesce(round(sum(o.amount * st.probability / 100.0) FILTER (WHERE o.status = 'open' AND o."openedAt" <= $3), 2), 0),
            count(o.id) FILTER (WHERE stale.id IS NOT NULL)::int,
            coalesce(sum(o.amount) FILTER (WHERE stale.id IS NOT NULL), 0),
            coalesce(sum(o.amount) FILTER (WHERE o."openedAt" >= $1::date AND o."openedAt" <= $3), 0),
            coalesce(sum(o.amount) FILTER (WHERE o.status = 'won' AND o."closedAt" >= $1::date AND o."closedAt" <= $3), 0),
            $5
       FROM "User" u
       LEFT JOIN "Opportunity" o ON o."ownerId" = u.id
       LEFT JOIN "Stage" st ON st.id = o."stageId"
       LEFT JOIN ${staleSource} AS stale(id) ON stale.id = o.id
      WHERE u.role = 'rep' AND ($6::text IS NULL OR u."teamId" = $6)
      GROUP BY u.id
     ON CONFLICT ("userId", "weekStart") DO UPDATE SET
       "reviewId" = EXCLUDED."reviewId", "openCount" = EXCLUDED."openCount", "openValue" = EXCLUDED."openValue",
       "weightedValue" = EXCLUDED."weightedValue", "staleCount" = EXCLUDED."staleCount",
       "staleValue" = EXCLUDED."staleValue", "newPipelineValue" = EXCLUDED."newPipelineValue",
       "wonValue" = EXCLUDED."wonValue", "updatedAt" = EXCLUDED."updatedAt"`;
}

/** The stored-totals statement that joined every open deal in scope to the flags and the judgement state. */
function referenceTotalsSql(teamId: string | null): string {
  return `WITH deals AS MATERIALIZED (
       SELECT o.id, u."teamId" AS team_id, round(o.amount * 100)::int8 AS cents
         FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
        WHERE ${openInScopeSql("$1", teamId ? "$2" : null)}
     ), judgements AS MATERIALIZED (
       SELECT j."waivedFlags", j."notJudged" FROM "DealJudgement" j JOIN deals d ON d.id = j."opportunityId"
        WHERE j."waivedFlags" <> 0 OR j."notJudged" <> '[]'::jsonb
     ), flags AS MATERIALIZED (
       SELECT d.id, d.team_id, d.cents, f.rule,
              CASE f.severity WHEN 'stale' THEN 0 WHEN 'at_risk' THEN 1 WHEN 'nudge' THEN 2 ELSE 3 END AS rank
         FROM "Flag" f JOIN deals d ON d.id = f."opportunityId"
        WHERE f."endedAt" IS NULL
     )
     SELECT 'open' AS part, team_id, NULL AS label, NULL AS reason, count(*) AS count, sum(cents) AS cents
       FROM deals GROUP BY team_id
     UNION ALL
     SELECT 'rule', team_id, rule, NULL, count(*), sum(cents) FROM flags GROUP BY team_id, rule
     UNION ALL
     SELECT 'worst', team_id, worst::text, NULL, count(*), sum(cents)
       FROM (SELECT id, team_id, cents, min(rank) AS worst FROM flags GROUP BY id, team_id, cents) deal
      GROUP BY team_id, worst
     UNION ALL
     SELECT 'waived', NULL, NULL, NULL, coalesce(sum(j."waivedFlags"), 0), NULL FROM judgements j
     UNION ALL
     SELECT 'not_judged', NULL, n.item ->> 'rule', n.item ->> 'reason', count(*), NULL
       FROM judgements j CROSS JOIN LATERAL jsonb_array_elements(j."notJudged") AS n(item)
      GROUP BY 3, 4`;
}

// ---- Comparing ----

const snapshotRows = (run: Query) =>
  run(
    `SELECT "userId", "weekStart"::text, "reviewId", "openCount", "openValue"::text, "weightedValue"::text,
            "staleCount", "staleValue"::text, "newPipelineValue"::text, "wonValue"::text
       FROM "PipelineSnapshot" ORDER BY "userId", "weekStart"`,
  );

class RolledBack extends Error {}

/** What `work` finds inside a transaction that is then rolled back. */
async function rolledBack<T>(work: (run: Query) => Promise<T>): Promise<T> {
  let found: T | undefined;
  try {
    await sql().transaction(async (tx) => {
      found = await work((text, params) => tx.query(text, params));
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return found as T;
}

interface ReviewOptions {
  teamId: string | null;
  asOf: Date;
  fromHistory: boolean;
  mode?: "full";
}

interface Compared {
  mode: string | undefined;
  /** Open deals opened after the as-of instant: their owners were counted from their deals. */
  openedAfterAsOf: number;
  repsWithoutFigures: number;
}

/** A review, then its snapshots and its stored totals against the reference statements in the same state. */
async function reviewAndCompare(options: ReviewOptions): Promise<Compared> {
  const [{ count: repsWithoutFigures } = { count: 0 }] = await query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "User" u WHERE NOT EXISTS (SELECT 1 FROM "RepFigures" f WHERE f."repId" = u.id)`,
  );
  const input = { actorId: null, now: new Date(clock), ...options };
  const result = await runReview(sql(), input);
  const mode = result.totals.judged?.mode;
  const label = `the ${mode} review as of ${options.asOf.toISOString()}${options.teamId ? " of a team" : ""}${options.fromHistory ? " (history)" : ""}`;

  // Snapshots: the rows written, and the rows the old statement writes over them for the same review.
  const staleIds: number[] | "current flags" =
    mode === "incremental" ? "current flags" : staleDealIds(result.evaluation);
  const written = await snapshotRows(query);
  const reference = await rolledBack(async (run) => {
    await run(referenceSnapshotSql(staleIds), [
      snapshotWeek(options.asOf).toISOString().slice(0, 10),
      result.reviewId,
      options.asOf,
      staleIds === "current flags" ? null : pgArray(staleIds),
      input.now,
      options.teamId,
    ]);
    return snapshotRows(run);
  });
  expect(written, `snapshots after ${label}`).toEqual(reference);
  expect(written.length).toBeGreaterThan(0);

  // Stored totals: the same row handling over the new statement and the old one.
  const teamNames = new Map((await db.team.findMany()).map((team) => [team.id, team.name]));
  const totalsInput = { asOf: options.asOf, teamId: options.teamId };
  const ours = await storedTotals(query, result.evaluation, totalsInput, teamNames);
  const theirs = await storedTotals(
    (_text, params) => query(referenceTotalsSql(options.teamId), params),
    result.evaluation,
    totalsInput,
    teamNames,
  );
  expect(ours, `stored totals after ${label}`).toEqual(theirs);
  if (mode === "incremental") {
    expect(result.totals, `the incremental review's own totals (${label})`).toMatchObject(ours);
  }
  const [{ count: openedAfterAsOf } = { count: 0 }] = await query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "Opportunity" WHERE status = 'open' AND "openedAt" > $1`,
    [options.asOf],
  );
  return { mode, openedAfterAsOf, repsWithoutFigures };
}

function staleDealIds(evaluation: Evaluation): number[] {
  return evaluation.dealVerdicts
    .filter((verdict) => verdict.flags.some((flag) => flag.severity === "stale"))
    .map((verdict) => verdict.dealId);
}

// ---- The CRM whose exports are imported (Salesforce opportunities) ----

const crm: CrmDeal[] = [];

function newCrmDeal(now: Date, createdHoursAgo: number) {
  const id = `006S${String(crm.length + 1).padStart(6, "0")}`;
  crm.push({
    id,
    account: `Account ${id.slice(-2)}`,
    name: `CRM deal ${crm.length + 1}`,
    stage: random.pick(OPEN_STAGES),
    state: "open",
    amount: 1_000 + random.below(300) * 125.5,
    closeDate: day(new Date(now.getTime() + random.int(-20, 60) * DAY)),
    owner: random.pick(["Ana Rep", "Ben Rep", "Wes Rep"]),
    created: new Date(now.getTime() - createdHoursAgo * HOUR),
  });
}

// ---- The organisation ----

const ctx = (at: Date) => ({ actor: org.people.admin, now: at, asOf: at });
const openDeals = async () =>
  (await db.opportunity.findMany({ where: { status: "open" }, select: { id: true }, orderBy: { id: "asc" } })).map(
    (deal) => deal.id,
  );
/** An action's transaction; a loaded machine is slow, and the default 5 s would fail the test, not the code. */
const act = <T>(change: (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<T>) =>
  db.$transaction(change, { maxWait: 60_000, timeout: 120_000 });
// (The deal's version is read before the transaction: PGlite runs one at a time.)
const version = async (dealId: number) =>
  (await db.opportunity.findUniqueOrThrow({ where: { id: dealId }, select: { version: true } })).version;

beforeAll(async () => {
  org = await createSmallOrg();
  await createWonDeals(org, org.people.ana, 6, 40);
  await createWonDeals(org, org.people.wes, 6, 25);
  const owners = [org.people.ana, org.people.ben, org.people.wes];
  const stages = Object.values(org.stages);
  for (let index = 0; index < 30; index++) {
    const deal = await createDeal(org, {
      owner: owners[index % owners.length] as SmallOrg["people"]["ana"],
      amount: 1_000 + index * 333.33,
      openedDaysAgo: 3 + random.below(200),
      stageId: random.pick(stages),
      expectedCloseInDays: random.int(-20, 40),
    });
    if (random.chance(0.7)) {
      await logActivities(deal.id, [
        { daysAgo: 1 + random.below(40), side: random.chance(0.5) ? "buyer" : "seller" },
        { daysAgo: 1 + random.below(20), side: "seller" },
      ]);
    }
  }
  await refreshRollups(
    db,
    (await db.opportunity.findMany({ select: { id: true } })).map((deal) => deal.id),
  );
  // The fixtures write deals straight to the table; from here on every write keeps the figures itself.
  await refreshRepFigures(db, "everyone");
  await runReview(sql(), { actorId: null, teamId: null, asOf: later(HOUR), now: new Date(clock), fromHistory: false });
}, 300_000);

describe("a review's snapshots and stored totals", () => {
  it("equal the whole-organisation statements after every review of a random sequence", async () => {
    const steps: Record<string, (at: Date) => Promise<void>> = {
      "an activity": async (at) => {
        const dealId = random.pick(await openDeals());
        await act((tx) =>
          logDealActivity(tx, ctx(at), { dealId, type: "call", side: random.chance(0.5) ? "buyer" : "seller", at }),
        );
      },
      "an amount edited": async (at) => {
        const dealId = random.pick(await openDeals());
        const amount = (500 + random.below(4_000) * 3.37).toFixed(2);
        const v = await version(dealId);
        await act((tx) => updateDealDetails(tx, ctx(at), { dealId, version: v, amount }));
      },
      "a close date pushed": async (at) => {
        const dealId = random.pick(await openDeals());
        const v = await version(dealId);
        await act((tx) =>
          updateDealDetails(tx, ctx(at), {
            dealId,
            version: v,
            expectedCloseDate: addDays(at, 20 + random.below(30)),
          }),
        );
      },
      "a manager keeps a deal with a waiver": async (at) => {
        const dealId = random.pick(await openDeals());
        const v = await version(dealId);
        await act((tx) =>
          keepDealWithWaiver(tx, ctx(at), {
            dealId,
            version: v,
            reason: "kept for the test",
            until: addDays(at, 3),
          }),
        );
      },
      "a deal returned to prospecting": async (at) => {
        const dealId = random.pick(await openDeals());
        const v = await version(dealId);
        await act((tx) => returnDealToProspecting(tx, ctx(at), { dealId, version: v, reason: "not ready" }));
      },
      "a deal removed from the pipeline": async (at) => {
        const dealId = random.pick(await openDeals());
        const v = await version(dealId);
        await act((tx) => removeDealFromPipeline(tx, ctx(at), { dealId, version: v, reason: "stale — removed" }));
      },
      "an import: new deals, some opened an hour ago": async (at) => {
        for (let count = random.int(2, 5); count > 0; count--)
          newCrmDeal(at, random.chance(0.5) ? 1 : random.int(2, 400));
        await apply([text("opportunities.csv", opportunitiesFile(crm))], {}, { now: at });
      },
      "an import: deals won and lost this week, one reopened, one handed over, one repriced": async (at) => {
        const open = crm.filter((deal) => deal.state === "open");
        for (const deal of some(random, open, 3)) {
          deal.state = random.chance(0.6) ? "won" : "lost";
          deal.closeDate = day(new Date(Math.max(at.getTime() - random.below(3) * DAY, deal.created.getTime())));
        }
        const closed = crm.filter((deal) => deal.state !== "open");
        for (const deal of some(random, closed, 1)) {
          deal.state = "open";
          deal.closeDate = day(addDays(at, 30));
        }
        for (const deal of some(random, open, 1)) deal.owner = deal.owner === "Wes Rep" ? "Ana Rep" : "Wes Rep";
        for (const deal of some(random, open, 1)) deal.amount += 777.77;
        if (crm.length > 0) await apply([text("opportunities.csv", opportunitiesFile(crm))], {}, { now: at });
      },
      "a stage's probability edited": async (at) => {
        const stages = await db.stage.findMany({ orderBy: { order: "asc" } });
        const stage = random.pick(stages);
        await act((tx) =>
          saveStages(tx, { actor: org.people.admin, now: at }, [
            {
              id: stage.id,
              order: stage.order,
              probability: (stage.probability + 7) % 100,
              early: stage.early,
              maxDaysInStage: stage.maxDaysInStage,
            },
          ]),
        );
      },
      "a new rep with deals and no figures row yet": async () => {
        const rep = await db.user.create({
          data: {
            name: `New Rep ${clock}`,
            role: "rep",
            teamId: random.chance(0.5) ? org.teams.central : org.teams.west,
            email: `new.rep.${clock}@test.example`,
          },
        });
        const owner = { userId: rep.id, name: rep.name, role: rep.role, teamId: rep.teamId };
        for (let count = 0; count < 3; count++) {
          const deal = await createDeal(org, { owner, amount: 2_000 + count * 111.11, openedDaysAgo: 10 + count * 30 });
          await refreshRollups(db, [deal.id]);
        }
      },
      "nothing but time": async () => undefined,
    };
    const reviewKinds: Record<string, (at: Date) => Promise<ReviewOptions>> = {
      incremental: async (at) => ({ teamId: null, asOf: at, fromHistory: false }),
      "of a team": async (at) => ({ teamId: org.teams.central, asOf: at, fromHistory: false }),
      full: async (at) => ({ teamId: null, asOf: at, fromHistory: false, mode: "full" }),
      "of history": async (at) => ({
        teamId: null,
        asOf: new Date(at.getTime() - random.int(5, 40) * DAY),
        fromHistory: true,
      }),
      "as of before the newest opening": async (at) => {
        const newest = await db.opportunity.findFirst({
          where: { status: "open" },
          orderBy: { openedAt: "desc" },
          select: { openedAt: true },
        });
        return { teamId: null, asOf: new Date((newest?.openedAt ?? at).getTime() - 60_000), fromHistory: false };
      },
    };
    const kinds = [
      ...Array(6).fill("incremental"),
      "of a team",
      "full",
      "of history",
      "as of before the newest opening",
    ] as string[];
    const names = Object.keys(steps);
    const compared: Compared[] = [];
    for (let step = 0; step < 36; step++) {
      const at = later(random.chance(0.3) ? random.int(1, 4) * DAY : random.int(1, 5) * HOUR);
      await steps[step < names.length ? (names[step] as string) : random.pick(names)]?.(at);
      const kind =
        step < Object.keys(reviewKinds).length ? (Object.keys(reviewKinds)[step] as string) : random.pick(kinds);
      compared.push(await reviewAndCompare(await (reviewKinds[kind] as (at: Date) => Promise<ReviewOptions>)(at)));
    }
    // Both ways of counting the open pipeline were exercised: from the figures, and from the deals of
    // owners with deals opened after the as-of instant or without figures.
    expect(
      compared.filter((review) => review.mode === "incremental" && review.openedAfterAsOf === 0).length,
    ).toBeGreaterThan(10);
    expect(compared.filter((review) => review.openedAfterAsOf > 0).length).toBeGreaterThan(3);
    expect(compared.some((review) => review.repsWithoutFigures > 0)).toBe(true);
    expect(compared.some((review) => review.mode === "full")).toBe(true);
  }, 1_200_000); // dozens of reviews and imports on a busy machine: a bound on hanging, not a timing.
});
