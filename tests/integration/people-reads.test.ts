// The rep and team rules' reads (lib/reviews/facts.ts loadReps, loadTeamPeriods)
// and the won stage stints behind the stage medians (loadCycleInputs) are read
// in narrow, index-driven forms. Here each is compared with the straightforward
// SQL it replaced — one pass over every opportunity or stage change, kept below
// word for word — on a seeded random organisation: deals opened and closed on
// period edges, a millisecond either side, after the as-of date, closed before
// they opened, prospects without an opening date, won deals counted for
// another team or none, reps inactive or without a team, and stage moves that
// share a timestamp. Several as-of dates, period lengths and a team with its
// own periods; the facts must be equal, so the verdicts built from them are.
import { beforeAll, describe, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { columnRows, epochMs, type Query } from "@/lib/db/bulk-sql";
import { loadCycleInputs, loadReps, loadTeamPeriods } from "@/lib/reviews/facts";
import { activityWindowStart, MS_PER_DAY, startOfUtcDayNumber, utcDayNumber } from "@/lib/rules/days";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "@/lib/rules/settings";
import { type PeriodWindow, salesTrapPeriods } from "@/lib/rules/team-rules";
import { seededRandom } from "@/lib/seeded-random";
import { AS_OF, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

const query: Query = (sql, params) => getConnection().sql.query(sql, params);

// Around AS_OF: noon, a millisecond after midnight, midnight itself, and 40 and 400 days before.
const AS_OF_DATES = [
  AS_OF,
  new Date(startOfUtcDayNumber(utcDayNumber(AS_OF)).getTime() + 1),
  startOfUtcDayNumber(utcDayNumber(AS_OF) - 3),
  new Date(AS_OF.getTime() - 40 * MS_PER_DAY),
  new Date(AS_OF.getTime() - 400 * MS_PER_DAY),
];
const PERIODS: Pick<RuleSettings, "salesTrapPeriodDays" | "salesTrapTrailingPeriods">[] = [
  { salesTrapPeriodDays: 30, salesTrapTrailingPeriods: 3 },
  { salesTrapPeriodDays: 7, salesTrapTrailingPeriods: 6 },
  { salesTrapPeriodDays: 1, salesTrapTrailingPeriods: 1 },
  { salesTrapPeriodDays: 91, salesTrapTrailingPeriods: 4 },
];

let org: SmallOrg;
let north: string;

beforeAll(async () => {
  org = await createSmallOrg();
  const random = seededRandom(1306);
  north = (await db.team.create({ data: { name: "North" } })).id;
  await db.teamRuleSettings.create({
    data: { teamId: north, overrides: { salesTrapPeriodDays: 14, salesTrapTrailingPeriods: 2, lookbackDays: 60 } },
  });
  const teams = [org.teams.central, org.teams.west, north, null];
  const owners = [
    org.people.ana.userId,
    org.people.ben.userId,
    org.people.wes.userId,
    org.people.centralManager.userId,
  ];
  for (let index = 0; index < 12; index++) {
    const user = await db.user.create({
      data: {
        name: `Rep ${String.fromCharCode(65 + index)}`,
        email: `rep${index}@people-reads.example`,
        role: "rep",
        teamId: random.pick(teams),
        active: random.chance(0.85),
        startDate: random.chance(0.5) ? startOfUtcDayNumber(utcDayNumber(AS_OF) - random.int(-30, 900)) : null,
      },
    });
    // Two reps open nothing.
    if (index < 10) owners.push(user.id);
  }

  // Instants that land on the periods' edges: any UTC midnight, ± 1 ms, or anywhere in the day.
  const someInstant = () => {
    const day = utcDayNumber(AS_OF) - random.int(-20, 500);
    const midnight = day * MS_PER_DAY;
    const shape = random.below(4);
    return new Date(
      shape === 0
        ? midnight
        : shape === 1
          ? midnight - 1
          : shape === 2
            ? midnight + 1
            : midnight + random.below(MS_PER_DAY),
    );
  };
  const deals = [];
  for (let index = 0; index < 900; index++) {
    const status = random.pick(["open", "open", "won", "lost", "prospect"] as const);
    const openedAt = status === "prospect" && random.chance(0.3) ? null : someInstant();
    const closes = status === "won" || status === "lost" || random.chance(0.03); // a few open deals keep a close date
    let closedAt = closes ? someInstant() : null;
    if (closedAt && openedAt && closedAt < openedAt && random.chance(0.8))
      closedAt = new Date(openedAt.getTime() + random.below(200) * MS_PER_DAY);
    deals.push({
      externalId: `people-${index}`,
      source: "test",
      name: `People deal ${index}`,
      ownerId: random.pick(owners),
      amount: `${random.int(0, 500_000)}.${String(random.below(100)).padStart(2, "0")}`,
      stageId: random.pick(Object.values(org.stages)),
      status,
      openedAt,
      closedAt,
      // Won deals count for the team that won them: sometimes another team, or none.
      closedTeamId: status === "won" && random.chance(0.3) ? random.pick(teams) : null,
    });
  }
  // A rep's opening exactly at each as-of date: the last opening "at or before asOf" includes it.
  for (const [index, asOf] of AS_OF_DATES.entries()) {
    const ownerId = [org.people.ana, org.people.ben, org.people.wes][index % 3]?.userId as string;
    deals.push({
      ...(deals[index] as (typeof deals)[number]),
      externalId: `people-at-as-of-${index}`,
      ownerId,
      openedAt: asOf,
    });
  }
  await db.opportunity.createMany({ data: deals });
  const won = await db.opportunity.findMany({ where: { status: "won" }, select: { id: true, openedAt: true } });
  const moves = [];
  const stageIds = [...Object.values(org.stages), null];
  for (const deal of won) {
    let at = (deal.openedAt ?? AS_OF).getTime();
    for (let move = random.int(0, 6); move > 0; move--) {
      // Same-instant moves: the id breaks the tie.
      if (!random.chance(0.2)) at += random.below(40) * MS_PER_DAY + random.below(MS_PER_DAY);
      moves.push({
        opportunityId: deal.id,
        toStageId: random.pick(stageIds),
        toStatus: random.chance(0.85) ? ("open" as const) : ("won" as const),
        direction: random.pick(["created", "forward", "back"] as const),
        at: new Date(at),
      });
    }
  }
  // Ids shuffled, so neither the timestamps nor the order rows were written in follows them
  // (same-instant moves are ordered by id).
  const ids = moves.map((_move, index) => index + 1);
  for (let index = ids.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [ids[index], ids[other]] = [ids[other] as number, ids[index] as number];
  }
  await db.stageChange.createMany({ data: moves.map((move, index) => ({ ...move, id: ids[index] })) });
});

// ---- The straightforward SQL the narrow reads replaced (lib/reviews/facts.ts before) ----

async function straightforwardReps(asOf: Date, teamId: string | null) {
  const params: unknown[] = [asOf];
  if (teamId) params.push(teamId);
  const rows = await columnRows<{
    id: string;
    name: string;
    team_id: string | null;
    last_opened: number | null;
    first_opened: number | null;
    start_date: string | null;
  }>(
    query,
    `SELECT u.id, u.name, u."teamId" AS team_id, u."startDate"::text AS start_date,
            ${epochMs("opened.last_opened")} AS last_opened, ${epochMs("opened.first_opened")} AS first_opened
       FROM "User" u
       LEFT JOIN (
         SELECT o."ownerId" AS owner_id, max(o."openedAt") FILTER (WHERE o."openedAt" <= $1) AS last_opened,
                min(o."openedAt") AS first_opened
           FROM "Opportunity" o GROUP BY o."ownerId"
       ) opened ON opened.owner_id = u.id
      WHERE u.role = 'rep' AND u.active ${teamId ? `AND u."teamId" = $2` : ""}
      ORDER BY u.name`,
    params,
    ["id", "name", "team_id", "last_opened", "first_opened", "start_date"],
  );
  const ts = (value: number | null) => (value === null ? null : new Date(Number(value)));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    teamId: row.team_id,
    lastOpenedAt: ts(row.last_opened),
    firstOpenedAt: ts(row.first_opened),
    startDate: row.start_date ? new Date(`${row.start_date}T00:00:00.000Z`) : null,
  }));
}

async function straightforwardTeamPeriods(windows: readonly PeriodWindow[], asOf: Date) {
  const params: unknown[] = [asOf];
  const sums = windows.map((window, index) => {
    params.push(window.from, window.until);
    const from = `$${params.length - 1}::timestamptz`;
    const until = `$${params.length}::timestamptz`;
    const closedBy = `(closed_at IS NOT NULL AND closed_at < ${until} AND closed_at <= $1)`;
    return `coalesce(sum(cents) FILTER (WHERE counts = 'won' AND status = 'won' AND closed_at >= ${from}
                     AND closed_at < ${until} AND closed_at <= $1), 0)::int8 AS won_${index},
            coalesce(sum(cents) FILTER (WHERE counts = 'pipeline' AND status IN ('open', 'won', 'lost')
                     AND opened_at < ${until} AND NOT ${closedBy}), 0)::int8 AS open_${index},
            coalesce(sum(cents) FILTER (WHERE counts = 'pipeline' AND opened_at >= ${from}
                     AND opened_at < ${until}), 0)::int8 AS created_${index}`;
  });
  const rows = await query<Record<string, string | number>>(
    `SELECT team_id, ${sums.join(",\n")}
       FROM (SELECT u."teamId" AS team_id, 'pipeline' AS counts, o.status, o."openedAt" AS opened_at,
                    o."closedAt" AS closed_at, round(o.amount * 100)::int8 AS cents
               FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
              WHERE u."teamId" IS NOT NULL AND o."openedAt" <= $1
             UNION ALL
             SELECT o."closedTeamId", 'won', o.status, o."openedAt", o."closedAt", round(o.amount * 100)::int8
               FROM "Opportunity" o
              WHERE o.status = 'won' AND o."closedTeamId" IS NOT NULL AND o."openedAt" <= $1
                AND o."closedAt" <= $1) deals
      GROUP BY team_id`,
    params,
  );
  return new Map(
    rows.map((row) => [
      String(row.team_id),
      windows.map((_window, index) => ({
        wonCents: Number(row[`won_${index}`] ?? 0),
        openPipelineCents: Number(row[`open_${index}`] ?? 0),
        newPipelineCents: Number(row[`created_${index}`] ?? 0),
      })),
    ]),
  );
}

async function straightforwardStints(since: Date, asOf: Date) {
  return columnRows<{ deal_id: number; stage_id: number; entered_at: number; left_at: number; closed_at: number }>(
    query,
    `SELECT deal_id, stage_id, entered_at, left_at, closed_at FROM (
       SELECT s."opportunityId" AS deal_id, s."toStageId" AS stage_id, s."toStatus" AS to_status,
              ${epochMs("s.at")} AS entered_at,
              ${epochMs('lead(s.at) OVER (PARTITION BY s."opportunityId" ORDER BY s.at, s.id)')} AS left_at,
              ${epochMs('o."closedAt"')} AS closed_at
         FROM "StageChange" s JOIN "Opportunity" o ON o.id = s."opportunityId"
        WHERE o.status = 'won' AND o."closedAt" >= $1 AND o."closedAt" <= $2
     ) t
     WHERE to_status = 'open' AND stage_id IS NOT NULL AND left_at IS NOT NULL`,
    [since, asOf],
    ["deal_id", "stage_id", "entered_at", "left_at", "closed_at"],
  );
}

const zeroPeriods = (windows: readonly PeriodWindow[]) =>
  windows.map(() => ({ wonCents: 0, openPipelineCents: 0, newPipelineCents: 0 }));

describe("the rep rule's reads", () => {
  it.each(AS_OF_DATES.map((asOf) => [asOf.toISOString(), asOf] as const))(
    "loadReps as of %s equals one pass over every opportunity, for the organisation and each team",
    async (_label, asOf) => {
      for (const teamId of [null, org.teams.central, north]) {
        const reps = await loadReps(query, { teamId, dealIds: null }, asOf);
        expect(reps).toEqual(await straightforwardReps(asOf, teamId));
        if (teamId === null) {
          // The comparison has something to compare: reps with and without openings.
          expect(reps.some((rep) => rep.lastOpenedAt !== null && rep.firstOpenedAt !== null)).toBe(true);
          expect(reps.some((rep) => rep.firstOpenedAt === null)).toBe(true);
        }
      }
    },
  );
});

describe("the sales-trap reads", () => {
  const cases = AS_OF_DATES.flatMap((asOf) =>
    PERIODS.map(
      (periods) => [asOf.toISOString(), periods.salesTrapPeriodDays, periods.salesTrapTrailingPeriods, asOf] as const,
    ),
  );
  it.each(cases)(
    "loadTeamPeriods as of %s, %i-day periods × %i trailing, equals the straightforward sums",
    async (_label, periodDays, trailing, asOf) => {
      const settings = {
        ...DEFAULT_RULE_SETTINGS,
        salesTrapPeriodDays: periodDays,
        salesTrapTrailingPeriods: trailing,
      };
      const windows = salesTrapPeriods(asOf, settings);
      const teams = await loadTeamPeriods(query, { teamId: null, dealIds: null }, settings, asOf, "USD");
      const expected = await straightforwardTeamPeriods(windows, asOf);
      expect(teams.map((team) => team.id).sort()).toEqual([org.teams.central, org.teams.west, north].sort());
      for (const team of teams)
        expect([team.name, team.periods]).toEqual([team.name, expected.get(team.id) ?? zeroPeriods(windows)]);
    },
  );

  it("sums something in every kind of period total (the comparison is not of zeros)", async () => {
    const settings = { ...DEFAULT_RULE_SETTINGS, salesTrapPeriodDays: 91, salesTrapTrailingPeriods: 4 };
    const teams = await loadTeamPeriods(query, { teamId: null, dealIds: null }, settings, AS_OF, "USD");
    const periods = teams.flatMap((team) => team.periods);
    expect(periods.some((period) => period.wonCents > 0)).toBe(true);
    expect(periods.some((period) => period.openPipelineCents > 0)).toBe(true);
    expect(periods.some((period) => period.newPipelineCents > 0)).toBe(true);
  });

  it.each(AS_OF_DATES.map((asOf) => [asOf.toISOString(), asOf] as const))(
    "a team with its own periods is summed over them as of %s, the others over the organisation's",
    async (_label, asOf) => {
      const settings = { ...DEFAULT_RULE_SETTINGS };
      const northSettings = { ...settings, salesTrapPeriodDays: 14, salesTrapTrailingPeriods: 2 };
      const settingsOf = (teamId: string) => (teamId === north ? northSettings : settings);
      const teams = await loadTeamPeriods(query, { teamId: null, dealIds: null }, settings, asOf, "USD", settingsOf);
      const organisation = await straightforwardTeamPeriods(salesTrapPeriods(asOf, settings), asOf);
      const northWindows = salesTrapPeriods(asOf, northSettings);
      const own = await straightforwardTeamPeriods(northWindows, asOf);
      for (const team of teams) {
        const expected = team.id === north ? own.get(north) : organisation.get(team.id);
        const windows = salesTrapPeriods(asOf, team.id === north ? northSettings : settings);
        expect(team.periods).toEqual(expected ?? zeroPeriods(windows));
      }
      expect(teams.find((team) => team.id === north)?.periods).toHaveLength(3);

      // One team's review reads the same figures for it.
      const [westOnly] = await loadTeamPeriods(query, { teamId: org.teams.west, dealIds: null }, settings, asOf, "USD");
      expect(westOnly?.periods).toEqual(teams.find((team) => team.id === org.teams.west)?.periods);
    },
  );
});

describe("the stage medians' read", () => {
  it.each(AS_OF_DATES.map((asOf) => [asOf.toISOString(), asOf] as const))(
    "loadCycleInputs' won stage stints as of %s equal the join over every stage change",
    async (_label, asOf) => {
      for (const lookbackDays of [365, 60, 3650]) {
        const settings = { ...DEFAULT_RULE_SETTINGS, lookbackDays };
        const { wonStageStints } = await loadCycleInputs(query, settings, asOf);
        const expected = await straightforwardStints(activityWindowStart(asOf, lookbackDays), asOf);
        const key = (stint: { dealId: number; stageId: number; enteredAt: Date; leftAt: Date; closedAt: Date }) =>
          `${stint.dealId}|${stint.stageId}|${stint.enteredAt.getTime()}|${stint.leftAt.getTime()}|${stint.closedAt.getTime()}`;
        const actual = wonStageStints.map(key).sort();
        expect(actual).toEqual(
          expected
            .map((row) =>
              key({
                dealId: row.deal_id,
                stageId: row.stage_id,
                enteredAt: new Date(Number(row.entered_at)),
                leftAt: new Date(Number(row.left_at)),
                closedAt: new Date(Number(row.closed_at)),
              }),
            )
            .sort(),
        );
        if (lookbackDays === 3650 && asOf === AS_OF) expect(actual.length).toBeGreaterThan(100);
      }
    },
  );
});
