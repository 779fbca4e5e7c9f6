// The hidden check of issue 17, as a test of ours: a small crafted Salesforce
// export (opportunities, their stage history, tasks) imported through the real
// import into an empty database, the as-of date fixed before the export was
// taken, the review run as `npm run review` runs it — and its verdicts compared
// deal by deal with what SPEC.md's rules give, worked out by hand below as
// plain numbers (never by calling the engine's helpers).
//
// The arithmetic, as of 2026-06-15 (the fixed as-of date):
// - Central won 14 deals in the lookback: 12 of 53 days and 2 of 57 days, so
//   its mean cycle is 750 / 14 = 53.5714… days and past-its-time's limit is
//   2 × 53.5714… = 107.142… days, compared unrounded: 107 days is not past it,
//   108 days is.
// - West won exactly 10 (minSample) of 50 days: limit 100 days; a deal of
//   exactly 100 days is not past it ("age > 2 × cycle"), 101 is.
// - Central's won deals spent 10 days in Prospecting and then 43 (12 deals) or
//   47 (2 deals) in Qualification: the median is 43 days, so stuck-in-stage's
//   limit in Qualification is 2 × 43 = 86 days (86 is not past it, 87 is).
// - Every deal has a seller call 3 days before the as-of date (no follow-up
//   gap, not untouched) unless said otherwise, and no buyer activity.
import { beforeEach, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { recordWaitingOnBuyer } from "@/lib/deals/mutations";
import { runReviewAs } from "@/lib/reviews/run";
import { resetDatabase } from "../fixtures/reset-database";
import { apply, text } from "./import-helpers";

const AS_OF = new Date("2026-06-15T12:00:00.000Z");
/** When the export was taken and the review is run: weeks after the as-of date. */
const EXPORTED_AT = new Date("2026-08-01T09:00:00.000Z");

/** The calendar day `n` days before the as-of date (negative: after it), as Salesforce writes a date. */
function daysBefore(n: number): string {
  return new Date(Date.UTC(2026, 5, 15 - n)).toISOString().slice(0, 10);
}
/** A Salesforce timestamp on that day (as CreatedDate and the history's first row, the same instant). */
const createdDaysBefore = (n: number) => `${daysBefore(n)}T09:00:00.000+0000`;

interface CraftedDeal {
  id: string;
  name: string;
  owner: "Ana Rep" | "Wes Rep";
  stage: string;
  openedDaysBefore: number;
  closeDate: string;
  won?: boolean;
  /** Stage history rows: the stage and how many days before the as-of date it was entered. */
  history?: [stage: string, daysBefore: number][];
  /** Tasks: side and days before the as-of date. */
  tasks?: ["Outbound" | "Inbound", number][];
}

const SELLER_CALL_3_DAYS_AGO: CraftedDeal["tasks"] = [["Outbound", 3]];

function wonDeal(index: number, owner: CraftedDeal["owner"], cycleDays: number, withHistory: boolean): CraftedDeal {
  const closedDaysBefore = 20 + index * 7;
  const openedDaysBefore = closedDaysBefore + cycleDays;
  return {
    id: `006WON${owner[0]}${String(index).padStart(3, "0")}`,
    name: `${owner} win ${index}`,
    owner,
    stage: "Closed Won",
    openedDaysBefore,
    closeDate: daysBefore(closedDaysBefore),
    won: true,
    history: withHistory
      ? [
          ["Prospecting", openedDaysBefore],
          ["Qualification", openedDaysBefore - 10],
          ["Closed Won", closedDaysBefore],
        ]
      : undefined,
  };
}

const CENTRAL_WINS = [
  ...Array.from({ length: 12 }, (_, i) => wonDeal(i, "Ana Rep", 53, true)),
  ...Array.from({ length: 2 }, (_, i) => wonDeal(12 + i, "Ana Rep", 57, true)),
];
const WEST_WINS = Array.from({ length: 10 }, (_, i) => wonDeal(i, "Wes Rep", 50, false));

/** An open deal in Qualification since `inStageDays`, opened `ageDays` before the as-of date. */
function openDeal(id: string, owner: CraftedDeal["owner"], ageDays: number, inStageDays: number): CraftedDeal {
  return {
    id,
    name: `${id} (${ageDays} days old)`,
    owner,
    stage: "Qualification",
    openedDaysBefore: ageDays,
    closeDate: "2026-09-30",
    history: [
      ["Prospecting", ageDays],
      ["Qualification", inStageDays],
    ],
    tasks: SELLER_CALL_3_DAYS_AGO,
  };
}

const OPEN_DEALS: CraftedDeal[] = [
  // Past-its-time around Central's fractional limit (107.14 days).
  openDeal("006AGE106", "Ana Rep", 106, 60),
  openDeal("006AGE107", "Ana Rep", 107, 60),
  openDeal("006AGE108", "Ana Rep", 108, 60),
  // Around West's whole limit (100 days).
  openDeal("006WEST099", "Wes Rep", 99, 60),
  openDeal("006WEST100", "Wes Rep", 100, 60),
  openDeal("006WEST101", "Wes Rep", 101, 60),
  // Stuck-in-stage around 86 days in Qualification (deals young enough not to be past their time).
  openDeal("006STAGE86", "Ana Rep", 100, 86),
  openDeal("006STAGE87", "Ana Rep", 100, 87),
  // Past its time, spared by a buyer call 21 days ago and a forward move 45 days ago (both inside) …
  {
    ...openDeal("006SPARED", "Ana Rep", 150, 45),
    tasks: [
      ["Outbound", 3],
      ["Inbound", 21],
    ],
  },
  // … but not when the buyer's last call was 22 days ago.
  {
    ...openDeal("006NOTSPARED", "Ana Rep", 150, 45),
    tasks: [
      ["Outbound", 3],
      ["Inbound", 22],
    ],
  },
  // No stage history at all: past its time on age alone; time in stage unknown, so not judged.
  { ...openDeal("006NOHISTORY", "Ana Rep", 200, 0), history: undefined },
  // Open on the as-of date (in Qualification since 100 days, opened 120 days before), won after it;
  // the buyer's call after the as-of date is not seen.
  {
    ...openDeal("006WONLATER", "Ana Rep", 120, 100),
    stage: "Closed Won",
    closeDate: daysBefore(-25),
    won: true,
    history: [
      ["Prospecting", 120],
      ["Qualification", 100],
      ["Closed Won", -25],
    ],
    tasks: [
      ["Outbound", 3],
      ["Inbound", -16],
    ],
  },
  // Six seller calls 20–25 days ago and nothing from the buyer: one-sided and a 20-day follow-up gap.
  // The rep marks the first as waiting on the buyer: only the nudge goes.
  {
    ...openDeal("006WAITING", "Ana Rep", 40, 30),
    tasks: [20, 21, 22, 23, 24, 25].map((n) => ["Outbound", n] as ["Outbound", number]),
  },
  {
    ...openDeal("006CHASING", "Ana Rep", 40, 30),
    tasks: [20, 21, 22, 23, 24, 25].map((n) => ["Outbound", n] as ["Outbound", number]),
  },
  // A young deal still in Prospecting (and the stage named in the deals file).
  { ...openDeal("006YOUNG", "Ana Rep", 5, 5), stage: "Prospecting", history: [["Prospecting", 5]] },
];

const ALL_DEALS = [...CENTRAL_WINS, ...WEST_WINS, ...OPEN_DEALS];

const csvLine = (cells: (string | number)[]) => cells.map((cell) => `"${cell}"`).join(",");

function opportunitiesCsv(): string {
  const header = "Id,AccountId,Account.Name,Name,StageName,Amount,CloseDate,Owner.Name,CreatedDate,IsClosed,IsWon";
  const rows = ALL_DEALS.map((deal) =>
    csvLine([
      deal.id,
      `001${deal.id.slice(3)}`,
      `Account of ${deal.name}`,
      deal.name,
      deal.stage,
      "10000.00",
      deal.closeDate,
      deal.owner,
      createdDaysBefore(deal.openedDaysBefore),
      deal.won ? "true" : "false",
      deal.won ? "true" : "false",
    ]),
  );
  return [header, ...rows].join("\n");
}

function historyCsv(): string {
  const header = "OpportunityId,StageName,CloseDate,Amount,PrevCloseDate,PrevAmount,CreatedDate";
  const rows = ALL_DEALS.flatMap((deal) =>
    (deal.history ?? []).map(([stage, days]) =>
      csvLine([deal.id, stage, deal.closeDate, "10000", deal.closeDate, "10000", createdDaysBefore(days)]),
    ),
  );
  return [header, ...rows].join("\n");
}

function tasksCsv(): string {
  const header = "Id,WhatId,Subject,ActivityDate,Status,Type,CallType";
  const rows = ALL_DEALS.flatMap((deal) =>
    (deal.tasks ?? []).map(([side, days], index) =>
      csvLine([`00T${deal.id.slice(3)}${index}`, deal.id, `${side} call`, daysBefore(days), "Completed", "Call", side]),
    ),
  );
  return [header, ...rows].join("\n");
}

const PEOPLE_CSV = [
  "Name,Email,Team,Manager,Role",
  "Ana Rep,ana.rep@crafted.example,Central,Maria Lead,rep",
  "Wes Rep,wes.rep@crafted.example,West,Will Lead,rep",
].join("\n");

/** The verdict expected for each open deal, by hand (see the arithmetic above). */
const EXPECTED: Record<string, { flags: string[]; suppressed?: string[]; stuckNotJudged?: RegExp }> = {
  "006AGE106": { flags: [] },
  "006AGE107": { flags: [] },
  "006AGE108": { flags: ["past-its-time"] },
  "006WEST099": { flags: [] },
  "006WEST100": { flags: [] },
  "006WEST101": { flags: ["past-its-time"] },
  "006STAGE86": { flags: [] },
  "006STAGE87": { flags: ["stuck-in-stage"] },
  "006SPARED": { flags: [] },
  "006NOTSPARED": { flags: ["past-its-time"] },
  "006NOHISTORY": { flags: ["past-its-time"], stuckNotJudged: /unknown \(no stage history\)/ },
  "006WONLATER": { flags: ["past-its-time", "stuck-in-stage"] },
  "006WAITING": { flags: ["one-sided"], suppressed: ["follow-up-gap"] },
  "006CHASING": { flags: ["one-sided", "follow-up-gap"] },
  "006YOUNG": { flags: [] },
};

async function viewerFor(name: string): Promise<Viewer> {
  const person = await db.user.findFirstOrThrow({ where: { name } });
  return { userId: person.id, name: person.name, role: person.role, teamId: person.teamId };
}

beforeEach(async () => {
  // An empty database: no stages, no people, no deals — what the export brings is all there is.
  await resetDatabase();
  await db.orgSettings.create({ data: { id: 1, name: "Crafted export" } });
  const people = await apply([text("people.csv", PEOPLE_CSV, { kind: "people" })], {}, { now: EXPORTED_AT });
  expect(people.rejectedRows).toBe(0);
  const deals = await apply(
    [
      text("opportunities.csv", opportunitiesCsv()),
      text("opportunity-history.csv", historyCsv()),
      text("tasks.csv", tasksCsv()),
    ],
    {},
    { now: EXPORTED_AT },
  );
  expect(deals.rejectedRows).toBe(0);
  // The organisation reviews the pipeline as it was on the as-of date.
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
  const ana = await viewerFor("Ana Rep");
  // Ana marks one of the two chased deals as waiting on the buyer (ten days, within the 30 allowed).
  const waiting = await db.opportunity.findFirstOrThrow({ where: { externalId: "006WAITING" } });
  await db.$transaction((tx) =>
    recordWaitingOnBuyer(
      tx,
      { actor: ana, now: EXPORTED_AT, asOf: AS_OF },
      {
        dealId: waiting.id,
        version: waiting.version,
        reason: "Buyer asked for ten days to get budget",
        until: new Date("2026-06-25T00:00:00.000Z"),
      },
    ),
  );
});

describe("a crafted Salesforce export reviewed as of an earlier date", () => {
  it("imports what the verdicts depend on: the teams, the wins, and no invented stage entry", async () => {
    const teams = await db.team.findMany({
      orderBy: { name: "asc" },
      include: { members: { orderBy: { name: "asc" } } },
    });
    expect(teams.map((team) => [team.name, team.members.map((member) => member.name)])).toEqual([
      ["Central", ["Ana Rep", "Maria Lead"]],
      ["West", ["Wes Rep", "Will Lead"]],
    ]);
    // 14 + 10 wins in the lookback, plus the deal won after the as-of date.
    expect(await db.opportunity.count({ where: { status: "won" } })).toBe(25);
    const noHistory = await db.opportunity.findFirstOrThrow({ where: { externalId: "006NOHISTORY" } });
    expect(noHistory.stageEnteredAt).toBeNull();
  });

  it("gives every open deal of that date the verdict SPEC's rules give, deal by deal", async () => {
    const { evaluation } = await runReviewAs(null, { now: EXPORTED_AT });
    const externalIds = new Map(
      (await db.opportunity.findMany({ select: { id: true, externalId: true } })).map((deal) => [
        deal.id,
        deal.externalId,
      ]),
    );
    const actual = Object.fromEntries(
      evaluation.dealVerdicts.map((verdict) => [
        externalIds.get(verdict.dealId),
        {
          flags: verdict.flags.map((flag) => flag.rule),
          suppressed: verdict.suppressed.map((held) => held.flag.rule),
          stuckNotJudged: verdict.notJudged.find((unjudged) => unjudged.rule === "stuck-in-stage")?.reason ?? null,
        },
      ]),
    );
    // Exactly the deals open on the as-of date: the one won after it included, the wins before it not.
    expect(Object.keys(actual).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [externalId, expected] of Object.entries(EXPECTED)) {
      const found = actual[externalId];
      expect({ deal: externalId, flags: found?.flags, suppressed: found?.suppressed }).toEqual({
        deal: externalId,
        flags: expected.flags,
        suppressed: expected.suppressed ?? [],
      });
      if (expected.stuckNotJudged) expect(found?.stuckNotJudged).toMatch(expected.stuckNotJudged);
      else
        expect({ deal: externalId, stuckNotJudged: found?.stuckNotJudged }).toEqual({
          deal: externalId,
          stuckNotJudged: null,
        });
    }
  });

  it("explains the limits with the unrounded cycle and the stage the deal was in on the as-of date", async () => {
    const { evaluation } = await runReviewAs(null, { now: EXPORTED_AT });
    const wonLater = await db.opportunity.findFirstOrThrow({ where: { externalId: "006WONLATER" } });
    const facts = evaluation.deals.find((deal) => deal.id === wonLater.id);
    expect(facts?.stageName).toBe("Qualification");
    // The buyer's call 16 days after the as-of date had not happened yet.
    expect(facts?.lastBuyerActivityAt).toBeNull();
    const verdict = evaluation.dealVerdicts.find((found) => found.dealId === wonLater.id);
    const past = verdict?.flags.find((flag) => flag.rule === "past-its-time");
    // Flags keep the days their clocks started (anchors): opened 120 days before 2026-06-15.
    expect(past?.metrics).toMatchObject({ openedOn: "2026-02-15", averageCycleDays: 750 / 14 });
    expect(past?.explanation).toMatch(/^Open 120 days — /);
    const stuck = verdict?.flags.find((flag) => flag.rule === "stuck-in-stage");
    // In its stage of that date for 100 days: entered 2026-03-07.
    expect(stuck?.metrics).toMatchObject({ stageEnteredOn: "2026-03-07", limitDays: 86, medianWonDaysInStage: 43 });
    expect(stuck?.explanation).toMatch(/100 days/);
  });

  it("a rep's waiting on buyer suppresses only the follow-up nudge, not one-sided", async () => {
    const { evaluation } = await runReviewAs(null, { now: EXPORTED_AT });
    const deal = async (externalId: string) => {
      const { id } = await db.opportunity.findFirstOrThrow({ where: { externalId } });
      const verdict = evaluation.dealVerdicts.find((found) => found.dealId === id);
      return {
        flags: verdict?.flags.map((flag) => flag.rule),
        suppressed: verdict?.suppressed.map((held) => [held.flag.rule, held.waiver.kind, held.waiver.reason]),
      };
    };
    // The same facts, with and without the rep's word that the buyer asked for time.
    expect(await deal("006CHASING")).toEqual({ flags: ["one-sided", "follow-up-gap"], suppressed: [] });
    expect(await deal("006WAITING")).toEqual({
      flags: ["one-sided"],
      suppressed: [["follow-up-gap", "waiting_on_buyer", "Buyer asked for ten days to get budget"]],
    });
  });
});
