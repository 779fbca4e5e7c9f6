// The incremental review after imports stores exactly what a full review
// would. A seeded random sequence over a small organisation whose deals come
// from a CRM export (Salesforce opportunities and tasks), imported through
// the real import (lib/import/run.ts: the same path as the upload page and
// `npm run import`), and imported again and again as the CRM moves on:
// deals moved on, closed, reopened, handed to a rep of the other team, a rep
// moved to the other team by a people file, activities, new deals, and big
// re-imports that change more than 1,000 deals at once — those re-evaluate
// their flags but only mark the deals' judgements changed
// (lib/reviews/reevaluate.ts), leaving the judging to the next review.
// Between imports, hours and days pass with reviews of their own. After the
// review that follows each import (lib/schedule/after-import.ts), and after
// each review of ours, a full review of the same as-of in a rolled-back
// transaction must find nothing to write and leave the same flags, totals,
// snapshots and rep figures (support/review-comparison.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { refreshRepFigures } from "@/lib/figures/mutations";
import type { JudgedTotals } from "@/lib/reviews/incremental";
import { seededRandom } from "@/lib/seeded-random";
import { AS_OF, createSmallOrg, createWonDeals, type SmallOrg } from "../fixtures/small-org";
import { apply, text } from "./import-helpers";
import { fullReviewOf, query, reviewAndCompare, storedState } from "./support/review-comparison";
import { type CrmDeal, day, OPEN_STAGES, opportunitiesFile, some } from "./support/salesforce-crm";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** More open deals than a re-evaluation stores judgements for (reevaluate.ts: STORE_JUDGEMENTS_UP_TO). */
const OPEN_DEALS = 1_050;
/** Another seed walks another sequence: INCREMENTAL_IMPORT_SEED=n npx vitest run <this file>. */
const SEED = Number(process.env.INCREMENTAL_IMPORT_SEED ?? 20261206);

const TEAMS = {
  Central: { manager: "Carla Manager", reps: ["Ana Rep", "Ben Rep"] },
  West: { manager: "Walt Manager", reps: ["Wes Rep"] },
};

interface CrmTask {
  id: string;
  dealId: string;
  day: string;
  kind: "Call" | "Email";
  inbound: boolean;
}

const random = seededRandom(SEED);
const crm = { deals: [] as CrmDeal[], tasks: [] as CrmTask[], benTeam: "Central" as keyof typeof TEAMS };
let org: SmallOrg;

/** Every step is later than the last. */
let clock = AS_OF.getTime();
const later = (ms: number) => {
  clock += ms;
  return new Date(clock);
};

function newDeal(now: Date, createdDaysAgo: number): CrmDeal {
  const number = crm.deals.length + 1;
  const deal: CrmDeal = {
    id: `006T${String(number).padStart(6, "0")}`,
    account: `Account ${number % 97}`,
    name: `Deal ${number}`,
    stage: random.pick(OPEN_STAGES),
    state: "open",
    amount: 1_000 + random.below(400) * 250,
    closeDate: day(new Date(now.getTime() + random.int(-30, 90) * DAY)),
    owner: random.pick(["Ana Rep", "Ben Rep", "Wes Rep"]),
    created: new Date(now.getTime() - createdDaysAgo * DAY - random.below(20) * HOUR),
  };
  crm.deals.push(deal);
  return deal;
}

function tasksFile(): string {
  const rows = crm.tasks.map((task) =>
    [
      task.id,
      task.dealId,
      `${task.kind} ${task.id}`,
      task.day,
      "Completed",
      task.kind,
      task.kind,
      task.inbound ? "Inbound" : "Outbound",
      "",
    ].join(","),
  );
  return ["Id,WhatId,Subject,ActivityDate,Status,Type,TaskSubtype,CallType,Description", ...rows].join("\n");
}

function peopleFile(): string {
  return ["Owner,Team,Manager", `Ben Rep,${crm.benTeam},${TEAMS[crm.benTeam].manager}`].join("\n");
}

const openDeals = () => crm.deals.filter((deal) => deal.state === "open");
const closedDeals = () => crm.deals.filter((deal) => deal.state !== "open");

function addTask(deal: CrmDeal, now: Date, daysAgo: number) {
  crm.tasks.push({
    id: `00TT${String(crm.tasks.length + 1).padStart(6, "0")}`,
    dealId: deal.id,
    day: day(new Date(now.getTime() - daysAgo * DAY)),
    kind: random.chance(0.5) ? "Call" : "Email",
    inbound: random.chance(0.4),
  });
}

/** Tasks on some open deals, today (midnight, so before now) or back-dated up to three weeks. */
function addTasks(now: Date, count: number) {
  for (const deal of some(random, openDeals(), count)) addTask(deal, now, random.below(21));
}

/** Won or lost on that day (never before the deal was created: the import would reject the row). */
function close(deal: CrmDeal, on: Date) {
  deal.state = random.chance(0.6) ? "won" : "lost";
  deal.closeDate = day(new Date(Math.max(on.getTime(), deal.created.getTime())));
}

function reopen(deal: CrmDeal, now: Date) {
  deal.state = "open";
  deal.stage = random.pick(OPEN_STAGES);
  deal.closeDate = day(new Date(now.getTime() + 30 * DAY));
}

function handToOtherTeam(deal: CrmDeal) {
  deal.owner = deal.owner === "Wes Rep" ? random.pick(["Ana Rep", "Ben Rep"]) : "Wes Rep";
}

/** The import took every deal's status, stage, owner and amount from the export (none left behind). */
async function expectDealsAsInCrm() {
  const rows = await query<{ id: string; state: string; stage: string; owner: string; amount: string }>(
    `SELECT o."externalId" AS id, o.status::text AS state, st.name AS stage, u.name AS owner, o.amount::text AS amount
       FROM "Opportunity" o JOIN "Stage" st ON st.id = o."stageId" JOIN "User" u ON u.id = o."ownerId"
      WHERE o.source = 'salesforce' ORDER BY o."externalId"`,
  );
  const inDatabase = rows.map((row) => ({ ...row, stage: row.state === "open" ? row.stage : null }));
  const inCrm = [...crm.deals]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((deal) => ({
      id: deal.id,
      state: deal.state,
      stage: deal.state === "open" ? deal.stage : null,
      owner: deal.owner,
      amount: deal.amount.toFixed(2),
    }));
  expect(inDatabase).toEqual(inCrm);
  // Every task once (corrections update it in place), inbound calls and emails on the buyer's side.
  const sides = await query<{ side: string; days: string[] }>(
    `SELECT a.side::text AS side, array_agg(to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') ORDER BY a."externalId") AS days
       FROM "Activity" a JOIN "Opportunity" o ON o.id = a."opportunityId"
      WHERE o.source = 'salesforce' GROUP BY a.side ORDER BY a.side`,
  );
  const tasks = [...crm.tasks].sort((a, b) => a.id.localeCompare(b.id));
  const daysOf = (inbound: boolean) => tasks.filter((task) => task.inbound === inbound).map((task) => task.day);
  expect(sides).toEqual([
    { side: "buyer", days: daysOf(true) },
    { side: "seller", days: daysOf(false) },
  ]);
}

/** The CRM's export now, imported as the page imports it; the review after it is checked against a full one. */
async function importExport(now: Date, files: { people?: boolean } = {}) {
  const sources = files.people
    ? [text("people.csv", peopleFile(), { kind: "people" })]
    : [text("opportunities.csv", opportunitiesFile(crm.deals)), text("tasks.csv", tasksFile())];
  const result = await apply(sources, {}, { now });
  await expectDealsAsInCrm();
  if (result.nothingToChange) return { changed: false as const };
  const [review] = await query<{ as_of: Date | string; totals: unknown }>(
    `SELECT "asOf" AS as_of, totals FROM "Review" ORDER BY id DESC LIMIT 1`,
  );
  // The import reviews the organisation after it commits (and only logs a review that fails).
  expect(review && new Date(review.as_of).getTime(), "the review after the import ran").toBe(now.getTime());
  const stored = (typeof review?.totals === "string" ? JSON.parse(review.totals) : review?.totals) as {
    judged: JudgedTotals;
  } & Record<string, unknown>;
  const { judged, ...totals } = stored;
  await refreshRepFigures(query, "everyone");
  const state = await storedState(query);
  const full = await fullReviewOf(now, null);
  expect(full.episodes, `seed ${SEED}: a full review after the import's ${judged.mode} one (${judged.reason})`).toEqual(
    {
      started: 0,
      ended: 0,
      changed: 0,
    },
  );
  expect(totals, `seed ${SEED}: the totals of the import's review`).toEqual(JSON.parse(JSON.stringify(full.totals)));
  expect(state, `seed ${SEED}: what the import's review left stored`).toEqual(full.state);
  return { changed: true as const, judged };
}

beforeAll(async () => {
  org = await createSmallOrg();
  // Won deals give each team a cycle.
  await createWonDeals(org, org.people.ana, 6, 40);
  await createWonDeals(org, org.people.wes, 6, 25);
  // The first export: more than 1,000 open deals, a few closed ones, and their activities.
  const first = later(HOUR);
  for (let index = 0; index < OPEN_DEALS; index++) newDeal(first, 3 + random.below(200));
  for (const deal of some(random, crm.deals, 40)) close(deal, new Date(first.getTime() - random.below(60) * DAY));
  addTasks(first, 300);
  const imported = await importExport(first);
  expect(imported).toMatchObject({
    changed: true,
    judged: { mode: "full", reason: "no earlier review of this scope" },
  });
}, 600_000);

describe("the incremental review after imports", () => {
  it("finds what a full review finds, step after step of a random sequence of imports and reviews", async () => {
    const modes: string[] = [];
    /** How the review after each big import (more than 1,000 deals re-evaluated) judged. */
    const afterBigReimports: (JudgedTotals | undefined)[] = [];
    const steps: Record<string, (now: Date) => Promise<void>> = {
      "a re-import: a few deals moved on": async (now) => {
        for (const deal of some(random, openDeals(), random.int(3, 8))) {
          deal.stage = random.pick(OPEN_STAGES.filter((stage) => stage !== deal.stage));
          if (random.chance(0.5)) deal.amount += 500;
          if (random.chance(0.5)) deal.closeDate = day(new Date(now.getTime() + random.int(-10, 40) * DAY));
        }
        await importAndRecord(now);
      },
      "a re-import closing deals": async (now) => {
        for (const deal of some(random, openDeals(), random.int(2, 5))) close(deal, now);
        await importAndRecord(now);
      },
      "a re-import reopening closed deals": async (now) => {
        for (const deal of some(random, closedDeals(), random.int(1, 3))) reopen(deal, now);
        await importAndRecord(now);
      },
      "a re-import handing deals to another rep (of the other team, unless Ben moved)": async (now) => {
        for (const deal of some(random, openDeals(), random.int(3, 6))) handToOtherTeam(deal);
        await importAndRecord(now);
      },
      "a people file moving a rep to the other team": async (now) => {
        crm.benTeam = crm.benTeam === "Central" ? "West" : "Central";
        await importAndRecord(now, { people: true });
        const ben = await db.user.findUniqueOrThrow({ where: { id: org.people.ben.userId } });
        expect(ben.teamId).toBe(crm.benTeam === "Central" ? org.teams.central : org.teams.west);
      },
      "an activities export": async (now) => {
        addTasks(now, random.int(5, 15));
        await importAndRecord(now);
      },
      "a big re-import: new prices, stages and close dates, some deals closed, reopened and handed over": async (
        now,
      ) => {
        // Every open deal changes; a third also move stage, half get a close date pulled in or pushed out.
        for (const deal of openDeals()) {
          deal.amount = Math.round(deal.amount * 1.05);
          if (random.chance(0.3)) deal.stage = random.pick(OPEN_STAGES.filter((stage) => stage !== deal.stage));
          if (random.chance(0.5)) deal.closeDate = day(new Date(now.getTime() + random.int(-10, 40) * DAY));
        }
        for (const deal of some(random, openDeals(), 3)) close(deal, now);
        for (const deal of some(random, closedDeals(), 2)) reopen(deal, now);
        for (const deal of some(random, openDeals(), 3)) handToOtherTeam(deal);
        expect(openDeals().length).toBeGreaterThan(1_000);
        afterBigReimports.push(await importAndRecord(now));
      },
      "a big activities export: a back-dated task on every open deal": async (now) => {
        // Older than most deals' last activity, so many rollups stay as they were: the deals are
        // marked by the activities' trigger and the re-evaluation, not by their fingerprint.
        for (const deal of openDeals()) addTask(deal, now, random.int(20, 60));
        afterBigReimports.push(await importAndRecord(now));
      },
      "an activities export correcting earlier tasks": async (now) => {
        for (const task of some(random, crm.tasks, random.int(3, 6))) {
          if (random.chance(0.5)) task.inbound = !task.inbound;
          else task.day = day(new Date(Date.parse(task.day) - random.int(1, 5) * DAY));
        }
        await importAndRecord(now);
      },
      "new deals in the export": async (now) => {
        for (let count = random.int(2, 5); count > 0; count--) newDeal(now, random.below(3));
        await importAndRecord(now);
      },
      "the same export again (nothing to change)": async (now) => {
        expect(await importExport(now)).toEqual({ changed: false });
        modes.push(`${(await reviewAndCompare(now)).judged?.mode}`);
      },
      "a review, hours or days later": async (now) => {
        const teamReview = random.chance(0.3);
        modes.push(`${(await reviewAndCompare(now, teamReview ? org.teams.central : null)).judged?.mode}`);
      },
    };
    async function importAndRecord(now: Date, files: { people?: boolean } = {}) {
      const imported = await importExport(now, files);
      expect(imported.changed, "the export changed something").toBe(true);
      const judged = imported.changed ? imported.judged : undefined;
      modes.push(`${judged?.mode}`);
      return judged;
    }
    const names = Object.keys(steps);
    const big = names.filter((name) => name.startsWith("a big"));
    const sequence = [...names, ...big];
    for (let step = 0; step < 22; step++) sequence.push(random.pick(names));
    for (const name of sequence) {
      // Mostly hours apart, sometimes the next day or a few days on.
      const now = later(random.chance(0.3) ? random.int(1, 3) * DAY : random.int(1, 6) * HOUR);
      await steps[name]?.(now);
    }
    // The sequence exercised the incremental path after imports…
    expect(modes.filter((mode) => mode === "incremental").length).toBeGreaterThan(20);
    // …and after each big import, whose re-evaluation marked more than 1,000 deals changed instead
    // of storing their judgements: the next review judged them again for their facts.
    expect(afterBigReimports.length).toBeGreaterThanOrEqual(4);
    for (const judged of afterBigReimports) {
      expect(judged?.mode).toBe("incremental");
      expect(judged?.because?.facts ?? 0).toBeGreaterThan(1_000);
    }
  }, 1_800_000); // dozens of imports and full reviews of 1,000 deals on a busy machine: a bound on hanging.
});
