// The incremental review's episode write (writeFlagEpisodes, scope
// "changed"): it reads the current episodes its verdicts can meet, ships
// only the verdicts that are new or moved, and ends by id. These cases pin
// down what it writes, row by row, against a real database: a verdict whose
// only difference is a compared metric or its severity is updated in place;
// one that differs only in a sample size (or its sentence) is not touched;
// the episodes that end are exactly those of the judged deals the review no
// longer finds, of deals no longer open, and of reps and teams no longer
// flagged — never those of an open deal it did not judge. The same verdicts
// through the general path (the organisation's scope, with the unjudged
// deal's verdict) leave the same rows.
import { beforeEach, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import type { FlagRow } from "@/lib/reviews/evaluate";
import { type EpisodeScope, writeFlagEpisodes } from "@/lib/reviews/flag-episodes";
import type { Flag, FlagMetrics, RuleName, Severity } from "@/lib/rules/types";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

const DAY = 24 * 60 * 60_000;
const FIRST = { reviewId: null, asOf: AS_OF, now: AS_OF };
const NEXT_DAY = { reviewId: null, asOf: new Date(AS_OF.getTime() + DAY), now: new Date(AS_OF.getTime() + DAY) };

let org: SmallOrg;
let deals: { a: number; b: number; c: number; d: number; e: number };

function flag(rule: RuleName, severity: Severity, metrics: FlagMetrics, explanation = `${rule} as first worded`): Flag {
  return { rule, severity, explanation, metrics };
}
const dealRow = (opportunityId: number, f: Flag): FlagRow => ({ opportunityId, userId: null, teamId: null, flag: f });
const repRow = (userId: string, f: Flag): FlagRow => ({ opportunityId: null, userId, teamId: null, flag: f });
const teamRow = (teamId: string, f: Flag): FlagRow => ({ opportunityId: null, userId: null, teamId, flag: f });

const pastItsTime = { openedOn: "2026-01-02", limitDays: 90, limitSetBy: null, cycleSampleSize: 12 };
const untouched = { lastActivityOn: "2026-03-01", limitDays: 30, limitSetBy: null };

/** What every deal, rep and team is flagged with before the next day's review. */
function firstVerdicts(): FlagRow[] {
  return [
    dealRow(deals.a, flag("past-its-time", "stale", pastItsTime)),
    dealRow(deals.a, flag("untouched", "stale", untouched)),
    dealRow(deals.b, flag("past-its-time", "stale", pastItsTime)),
    dealRow(deals.c, flag("stuck-in-stage", "at_risk", { stageEnteredOn: "2026-04-01", limitDays: 30 })),
    dealRow(deals.d, flag("past-its-time", "stale", pastItsTime)),
    dealRow(deals.e, flag("past-its-time", "stale", pastItsTime)),
    repRow(org.people.ana.userId, flag("no-new-pipeline", "nudge", { lastOpenedOn: "2026-02-01", limitDays: 60 })),
    teamRow(org.teams.central, flag("sales-trap", "warning", { share: 0.25, limitShare: 0.2 })),
  ];
}

/**
 * The next day's verdicts of deals a, b and c (d is not judged again; e has
 * closed meanwhile): a's first flag differs only in its sample size and
 * sentence, its second is gone; b's limit moved and it earns a new flag; c's
 * severity moved; Ana's rep flag is gone and Ben earns one; the team's is the same.
 */
function nextDayVerdicts(): FlagRow[] {
  return [
    dealRow(
      deals.a,
      flag("past-its-time", "stale", { ...pastItsTime, cycleSampleSize: 13 }, "past-its-time worded a day later"),
    ),
    dealRow(deals.b, flag("past-its-time", "stale", { ...pastItsTime, limitDays: 91 })),
    dealRow(deals.b, flag("untouched", "stale", untouched)),
    dealRow(deals.c, flag("stuck-in-stage", "stale", { stageEnteredOn: "2026-04-01", limitDays: 30 })),
    repRow(org.people.ben.userId, flag("no-new-pipeline", "nudge", { lastOpenedOn: "2026-02-02", limitDays: 60 })),
    teamRow(org.teams.central, flag("sales-trap", "warning", { limitShare: 0.2, share: 0.25 })),
  ];
}

interface StoredFlag {
  id: number;
  subject: string;
  rule: string;
  severity: string;
  explanation: string;
  metrics: FlagMetrics;
  as_of: number;
  ended_at: number | null;
  xmin: string;
}

async function storedFlags(): Promise<StoredFlag[]> {
  return getConnection().sql.query<StoredFlag>(
    `SELECT id, coalesce("opportunityId"::text, "userId", "teamId") AS subject, rule, severity::text AS severity,
            explanation, metrics, round(date_part('epoch', "asOf") * 1000)::float8 AS as_of,
            round(date_part('epoch', "endedAt") * 1000)::float8 AS ended_at, xmin::text AS xmin
       FROM "Flag" ORDER BY id`,
  );
}

const find = (flags: StoredFlag[], subject: number | string, rule: string) =>
  flags.filter((row) => row.subject === String(subject) && row.rule === rule);

async function write(rows: FlagRow[], scope: EpisodeScope, run: typeof FIRST) {
  return getConnection().sql.transaction((tx) => writeFlagEpisodes(tx.query.bind(tx), rows, scope, run));
}

beforeEach(async () => {
  await db.flag.deleteMany({});
  if (!org) org = await createSmallOrg();
  const deal = (openedDaysAgo: number) => createDeal(org, { owner: org.people.ana, amount: 1_000, openedDaysAgo });
  deals = {
    a: (await deal(200)).id,
    b: (await deal(210)).id,
    c: (await deal(220)).id,
    d: (await deal(230)).id,
    e: (await deal(240)).id,
  };
  const first = await write(firstVerdicts(), { kind: "organisation" }, FIRST);
  expect(first.started).toBe(firstVerdicts().length);
  await db.opportunity.update({ where: { id: deals.e }, data: { status: "won", closedAt: AS_OF } });
});

describe("an incremental review's episode write", () => {
  it("updates what moved, starts what is new, ends exactly what it no longer finds, and leaves the rest untouched", async () => {
    const before = await storedFlags();
    const changes = await write(
      nextDayVerdicts(),
      { kind: "changed", teamId: null, dealIds: [deals.a, deals.b, deals.c], asOf: NEXT_DAY.asOf },
      NEXT_DAY,
    );
    expect({ ...changes, dealIds: [...changes.dealIds].sort((x, y) => x - y) }).toEqual({
      started: 2,
      changed: 2,
      ended: 3,
      dealIds: [deals.a, deals.b, deals.c, deals.e].sort((x, y) => x - y),
    });
    const after = await storedFlags();
    const same = (subject: number | string, rule: string) => {
      const [was] = find(before, subject, rule);
      const [is] = find(after, subject, rule);
      expect(is, `${subject} ${rule}`).toEqual(was);
    };
    // A sample size and a sentence alone: the same row version, the old sample size kept.
    same(deals.a, "past-its-time");
    expect(find(after, deals.a, "past-its-time")[0]?.metrics.cycleSampleSize).toBe(12);
    // Not judged again, and the same verdict: untouched.
    same(deals.d, "past-its-time");
    same(org.teams.central, "sales-trap");
    // Ended at the next day: the judged deal's lost flag, the closed deal's, the rep no longer flagged.
    for (const [subject, rule] of [
      [deals.a, "untouched"],
      [deals.e, "past-its-time"],
      [org.people.ana.userId, "no-new-pipeline"],
    ] as const) {
      const rows = find(after, subject, rule);
      expect(rows.map((row) => row.ended_at)).toEqual([NEXT_DAY.asOf.getTime()]);
    }
    // A compared metric moved: updated in place (same id), as of the next day.
    const [bBefore] = find(before, deals.b, "past-its-time");
    const [bAfter] = find(after, deals.b, "past-its-time");
    expect(bAfter?.id).toBe(bBefore?.id);
    expect(bAfter?.metrics.limitDays).toBe(91);
    expect(bAfter?.as_of).toBe(NEXT_DAY.asOf.getTime());
    expect(bAfter?.ended_at).toBeNull();
    // The severity moved: updated in place.
    const [cAfter] = find(after, deals.c, "stuck-in-stage");
    expect(cAfter?.id).toBe(find(before, deals.c, "stuck-in-stage")[0]?.id);
    expect(cAfter?.severity).toBe("stale");
    // New: started at the next day.
    for (const [subject, rule] of [
      [deals.b, "untouched"],
      [org.people.ben.userId, "no-new-pipeline"],
    ] as const) {
      const rows = find(after, subject, rule);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.ended_at).toBeNull();
      expect(before.some((row) => row.id === rows[0]?.id)).toBe(false);
    }
    expect(after).toHaveLength(before.length + 2);
  });

  it("updates a verdict whose only difference is a metric added or dropped, not one whose sample size alone moved", async () => {
    const { metricAdded, metricDropped } = {
      metricAdded: dealRow(deals.a, flag("past-its-time", "stale", { ...pastItsTime, limitSetBy: "Central" })),
      metricDropped: dealRow(deals.b, flag("past-its-time", "stale", { openedOn: "2026-01-02", limitDays: 90 })),
    };
    const sampleOnly = dealRow(deals.d, flag("past-its-time", "stale", { ...pastItsTime, cycleSampleSize: 40 }));
    const changes = await write(
      [metricAdded, metricDropped, sampleOnly, ...firstVerdicts().filter((row) => row.opportunityId === null)],
      { kind: "changed", teamId: null, dealIds: [deals.a, deals.b, deals.d], asOf: NEXT_DAY.asOf },
      NEXT_DAY,
    );
    expect(changes.changed).toBe(2);
    const after = await storedFlags();
    expect(find(after, deals.a, "past-its-time")[0]?.metrics.limitSetBy).toBe("Central");
    expect(find(after, deals.b, "past-its-time")[0]?.metrics).toEqual({ openedOn: "2026-01-02", limitDays: 90 });
    expect(find(after, deals.d, "past-its-time")[0]?.metrics.cycleSampleSize).toBe(12);
  });

  it("leaves the same rows as the general path given the same verdicts", async () => {
    await write(
      nextDayVerdicts(),
      { kind: "changed", teamId: null, dealIds: [deals.a, deals.b, deals.c], asOf: NEXT_DAY.asOf },
      NEXT_DAY,
    );
    const incremental = await storedFlags();

    await db.flag.deleteMany({});
    await write(firstVerdicts(), { kind: "organisation" }, FIRST);
    // The general path over the whole organisation: d, not judged again, keeps its verdict.
    const unjudged = firstVerdicts().filter((row) => row.opportunityId === deals.d);
    await write([...nextDayVerdicts(), ...unjudged], { kind: "organisation" }, NEXT_DAY);
    const general = await storedFlags();
    const comparable = (rows: StoredFlag[]) =>
      rows
        .map(({ id: _id, xmin: _xmin, ...row }) => row)
        .sort((x, y) => `${x.subject}|${x.rule}|${x.ended_at}`.localeCompare(`${y.subject}|${y.rule}|${y.ended_at}`));
    expect(comparable(incremental)).toEqual(comparable(general));
    expect(incremental.filter((row) => row.ended_at !== null)).toHaveLength(3);
  });

  it("ends the episodes of deals not open on its as-of in its scope, and only those", async () => {
    const deal = async (owner: SmallOrg["people"]["ana"]) =>
      (await createDeal(org, { owner, amount: 1_000, openedDaysAgo: 100 })).id;
    const prospect = await deal(org.people.ana);
    const openedLater = await deal(org.people.ana);
    const westLost = await deal(org.people.wes);
    const others = [prospect, openedLater, westLost];
    await write(
      others.map((id) => dealRow(id, flag("past-its-time", "stale", pastItsTime))),
      { kind: "deals", dealIds: others },
      FIRST,
    );
    // A prospect's opening date may be unknown; it is not open either way.
    await db.opportunity.update({ where: { id: prospect }, data: { status: "prospect", openedAt: null } });
    await db.opportunity.update({
      where: { id: openedLater },
      data: { openedAt: new Date(NEXT_DAY.asOf.getTime() + DAY) },
    });
    await db.opportunity.update({ where: { id: westLost }, data: { status: "lost", closedAt: AS_OF } });
    const peopleRows = firstVerdicts().filter((row) => row.opportunityId === null);
    const endedDeals = async () =>
      (await storedFlags())
        .filter((row) => row.ended_at !== null && row.rule === "past-its-time")
        .map((row) => Number(row.subject))
        .sort((x, y) => x - y);

    // Central's review: the West deal that was lost is another team's.
    const central = await write(
      peopleRows,
      { kind: "changed", teamId: org.teams.central, dealIds: [], asOf: NEXT_DAY.asOf },
      NEXT_DAY,
    );
    const centralEnded = [deals.e, prospect, openedLater].sort((x, y) => x - y);
    expect(await endedDeals()).toEqual(centralEnded);
    expect([...central.dealIds].sort((x, y) => x - y)).toEqual(centralEnded);
    expect(central.ended).toBe(3);

    // The organisation's review finds it.
    const organisation = await write(
      peopleRows,
      { kind: "changed", teamId: null, dealIds: [], asOf: NEXT_DAY.asOf },
      NEXT_DAY,
    );
    expect(organisation.dealIds).toEqual([westLost]);
    expect(await endedDeals()).toEqual([...centralEnded, westLost].sort((x, y) => x - y));
  });
});
