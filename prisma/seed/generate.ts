// The demo organisation generator: (seed, today, size) → plain rows, with no
// database and no clock, so the same inputs always give the same
// organisation and tests can check it in memory.
//
// What it builds (sizes are options; defaults are the demo):
// - three story teams (Central, East, West) with a manager each, 24 reps and
//   an admin; larger sizes add regional teams of about nine reps;
// - quarterly quotas, accounts, and two years of closed deals (won, lost,
//   back to prospecting) with their stage histories, activities on both
//   sides, close-date slips and amount edits;
// - today's open pipeline (`openDeals` of them): mostly moving deals, some
//   slow, some stale, different for every rep;
// - the stories in stories.ts, scripted, for every seed and size;
// - weekly pipeline snapshots for the last 26 weeks.
//
// Deals are planned first (deal-plans.ts, story-deals.ts) so amounts and the
// activity budget can be settled across all of them, then written out as
// history rows (history.ts) in the order they were opened, so deal ids grow
// with openedAt as in a real CRM.
import { createAccounts } from "./accounts";
import { dayToDate, monthStart, parseDay, workdayNear } from "./calendar";
import { type DealPlan, type DealPlanInput, type OpenCondition, planClosedDeal, planOpenDeal } from "./deal-plans";
import { emptyHistoryRows, HistoryWriter, type HistoryRows } from "./history";
import { createPeople, createQuotas, MIN_REPS, type RepProfile } from "./people";
import { apportion, Random } from "./random";
import type { DemoOrganisation, StageRow } from "./rows";
import { WeeklySnapshots } from "./snapshots";
import { DEMO_STAGES } from "./stages";
import { STORY_ACCOUNTS, type StoryDeal, storyDeals, waitingOnBuyerRecords } from "./story-deals";
import { DEMO_STORIES } from "./stories";
import { LOST_REASONS, OFFERINGS, RETURN_TO_PROSPECT_REASONS } from "./vocabulary";

export interface DemoOptions {
  seed: number;
  /** The day everything is relative to, YYYY-MM-DD (UTC). */
  today: string;
  /** Open deals in today's pipeline. */
  openDeals: number;
  /** Deals closed (won, lost, back to prospecting) over the last two years. */
  closedDeals: number;
  /** Activities in total, both sides, open and closed deals. */
  activities: number;
  reps: number;
}

export const DEMO_DEFAULTS = {
  seed: 20_240_501,
  openDeals: 380,
  activities: 60_000,
  reps: 24,
} as const;

/**
 * About two years of a rep's closed deals (~110), capped so the 2,000-rep
 * benchmark stays quick to load: closed history only feeds the statistics.
 */
export function defaultClosedDeals(reps: number): number {
  return Math.min(110 * reps, 60_000);
}

export const HISTORY_DAYS = 730;

/**
 * The sales-trap team's big month: the last full calendar month together with
 * the last 30 days, so the story holds whether "this period" means the last
 * month or the rolling 30 days the engine compares (lib/rules/team-rules.ts).
 */
export function bigMonthWindow(todayDay: number): { firstDay: number; lastDay: number } {
  return { firstDay: Math.min(monthStart(todayDay, -1), todayDay - 30), lastDay: todayDay - 1 };
}

/** Rows that do not depend on the deals: written first. */
export interface DemoSetupRows {
  today: Date;
  orgSettings: DemoOrganisation["orgSettings"];
  stages: StageRow[];
  teams: DemoOrganisation["teams"];
  users: DemoOrganisation["users"];
  quotas: DemoOrganisation["quotas"];
  accounts: DemoOrganisation["accounts"];
}

/** Rows that need every deal written first: written last. */
export interface DemoClosingRows {
  waivers: DemoOrganisation["waivers"];
  decisions: DemoOrganisation["decisions"];
  auditEvents: DemoOrganisation["auditEvents"];
  pipelineSnapshots: DemoOrganisation["pipelineSnapshots"];
}

/**
 * The organisation, planned: its setup rows and every deal's plan. Deal
 * history rows are produced afterwards, in batches, by `writeDemoDeals`.
 */
export interface DemoPlan {
  setup: DemoSetupRows;
  deals: DealPlan[];
  /** Activities the deals will have in total (exact). */
  activityCount: number;
  todayDay: number;
  repIds: string[];
  historySeed: number;
}

export function planDemoOrganisation(options: DemoOptions): DemoPlan {
  validateDemoOptions(options);
  const todayDay = parseDay(options.today);
  const rng = new Random(options.seed);
  const people = createPeople(rng.fork(), options.reps, todayDay);
  const repByEmail = (email: string): RepProfile => {
    const rep = people.reps.find((candidate) => candidate.user.email === email);
    if (!rep) throw new Error(`The story rep ${email} is missing`);
    return rep;
  };

  const quotas = createQuotas(rng.fork(), people.reps, options.openDeals / options.reps, todayDay);
  const stories = storyDeals(todayDay, repByEmail);
  const accounts = createAccounts(
    rng.fork(),
    STORY_ACCOUNTS,
    Math.max(60, Math.round((options.openDeals + options.closedDeals) / 5)),
    todayDay,
  );

  // Plan every deal: the stories, then each rep's closed history and open pipeline.
  const planRng = rng.fork();
  const planned: Array<{ input: DealPlanInput; story?: StoryDeal }> = stories.map((story) => ({
    input: story.plan,
    story,
  }));
  const closedPerRep = apportion(
    options.closedDeals,
    people.reps.map((rep) => rep.closedWeight),
  );
  const openPerRep = apportion(
    options.openDeals - stories.length,
    people.reps.map((rep) => rep.openWeight),
  );
  const bigMonthWinsPerRep = bigMonthWins(people.reps, closedPerRep, todayDay);
  people.reps.forEach((rep, r) => {
    for (const input of planClosedHistory(planRng, rep, closedPerRep[r] ?? 0, bigMonthWinsPerRep[r] ?? 0, todayDay)) {
      planned.push({ input });
    }
    for (const input of planOpenPipeline(planRng, rep, openPerRep[r] ?? 0, todayDay)) planned.push({ input });
  });
  scaleStuffedPipeline(
    planned.map((p) => p.input),
    repByEmail(DEMO_STORIES.stuffedPipelineRep.email),
  );

  // Ids in the order deals were opened, as a CRM would have given them.
  planned.sort((a, b) => (a.input.visits[0]?.day ?? 0) - (b.input.visits[0]?.day ?? 0));
  const accountByName = new Map(accounts.map((account) => [account.name, account]));
  const generatedAccounts = accounts.slice(STORY_ACCOUNTS.length);
  const deals: DealPlan[] = planned.map(({ input, story }, index) => {
    const id = index + 1;
    let details: Pick<DealPlan, "id" | "externalId" | "name" | "accountId" | "nextStep">;
    if (story) {
      const account = accountByName.get(story.account.name);
      if (!account) throw new Error(`Story account ${story.account.name} is missing`);
      details = { id, externalId: story.externalId, name: story.name, accountId: account.id, nextStep: story.nextStep };
    } else {
      const account = planRng.pick(generatedAccounts);
      details = {
        id,
        externalId: `demo-${String(id).padStart(6, "0")}`,
        name: `${account.name} — ${planRng.pick(OFFERINGS)}`,
        accountId: account.id,
        nextStep: null,
      };
    }
    // Completes the plan in place: 160,000 copies would only feed the garbage collector.
    return Object.assign(input, details);
  });
  const activityCount = shareActivityBudget(deals, options.activities);

  return {
    setup: {
      today: dayToDate(todayDay),
      orgSettings: {
        id: 1,
        name: DEMO_STORIES.organisationName,
        currency: "USD",
        asOf: null,
        rules: {},
        demoData: true,
      },
      stages: DEMO_STAGES.map(
        (stage): StageRow => ({
          id: stage.id,
          name: stage.name,
          order: stage.order,
          probability: stage.probability,
          early: stage.early,
          maxDaysInStage: stage.maxDaysInStage,
          active: true,
        }),
      ),
      teams: people.teams.map((team) => team.row),
      users: people.users,
      quotas,
      accounts,
    },
    deals,
    activityCount,
    todayDay,
    repIds: people.reps.map((rep) => rep.user.id),
    historySeed: Math.floor(rng.next() * 4294967296),
  };
}

/**
 * Writes the planned deals' history in batches of `dealsPerBatch` deals
 * (yielded one batch at a time, so a loader can write and drop each), then
 * returns the rows that need all deals: the waiting-on-buyer records and the
 * weekly snapshots.
 */
export function* writeDemoDeals(plan: DemoPlan, dealsPerBatch = 2000): Generator<HistoryRows, DemoClosingRows> {
  const writer = new HistoryWriter(new Random(plan.historySeed));
  const snapshots = new WeeklySnapshots(plan.todayDay, averageWonCycleByTeam(plan.deals, plan.todayDay));
  for (let start = 0; start < plan.deals.length; start += dealsPerBatch) {
    const end = Math.min(plan.deals.length, start + dealsPerBatch);
    for (let i = start; i < end; i++) {
      const timeline = writer.write(plan.deals[i] as DealPlan, snapshots.firstWeekMs);
      if (timeline) snapshots.add(timeline);
    }
    yield writer.takeBatch();
  }

  const waitingDeal = plan.deals.find((deal) => deal.externalId === DEMO_STORIES.waitingOnBuyerDeal.externalId);
  if (!waitingDeal) throw new Error("The waiting-on-buyer story deal is missing");
  const waiting = waitingOnBuyerRecords(plan.todayDay, waitingDeal.id, waitingDeal.rep.user.id);
  return {
    waivers: [waiting.waiver],
    decisions: [waiting.decision],
    auditEvents: [waiting.auditEvent],
    pipelineSnapshots: snapshots.rows(plan.repIds),
  };
}

/** The whole organisation in memory (tests; the loader streams instead). */
export function generateDemoOrganisation(options: DemoOptions): DemoOrganisation {
  const plan = planDemoOrganisation(options);
  const history = emptyHistoryRows();
  const batches = writeDemoDeals(plan, plan.deals.length || 1);
  for (;;) {
    const next = batches.next();
    if (next.done) return { ...plan.setup, ...history, ...next.value };
    for (const key of Object.keys(history) as Array<keyof HistoryRows>) {
      const all = history[key] as unknown[];
      for (const row of next.value[key]) all.push(row);
    }
  }
}

/** Throws a message naming the command-line flag when an option is out of range. */
export function validateDemoOptions(options: DemoOptions): void {
  const whole = (name: string, value: number, min: number, why = "") => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new Error(`${name} must be a whole number of at least ${min}${why} (got ${value}).`);
    }
  };
  whole("--seed", options.seed, 0);
  whole("--reps", options.reps, MIN_REPS, ": the stories need four reps in each of the three story teams");
  whole("--deals", options.openDeals, 20);
  whole("--closed", options.closedDeals, 0);
  whole("--activities", options.activities, 0);
  parseDay(options.today);
}

/** A deal's amount: around the rep's typical size, in whole $500 steps, $5k–$750k. */
function dealAmountCents(rng: Random, typicalDollars: number, factor = 1): number {
  const dollars = typicalDollars * factor * rng.logNormalFactor(0.55);
  return Math.min(750_000, Math.max(5_000, Math.round(dollars / 500) * 500)) * 100;
}

/**
 * How many of each sales-trap rep's closed deals are the big month's extra
 * wins: about twice what the team normally wins in that many days.
 */
function bigMonthWins(reps: RepProfile[], closedPerRep: number[], todayDay: number): number[] {
  const window = bigMonthWindow(todayDay);
  const days = window.lastDay - window.firstDay + 1;
  let normalWins = 0;
  const weights = reps.map((rep, r) => {
    if (rep.style !== "sales-trap") return 0;
    const closed = closedPerRep[r] ?? 0;
    normalWins += (closed * rep.winRate * days) / HISTORY_DAYS;
    return closed;
  });
  if (normalWins === 0) return reps.map(() => 0);
  const extra = Math.max(6, Math.round(2.2 * normalWins));
  return apportion(extra, weights).map((wins, r) => Math.min(wins, closedPerRep[r] ?? 0));
}

function planClosedHistory(
  rng: Random,
  rep: RepProfile,
  count: number,
  bigMonth: number,
  todayDay: number,
): DealPlanInput[] {
  const plans: DealPlanInput[] = [];
  const window = bigMonthWindow(todayDay);
  const first = todayDay - HISTORY_DAYS;
  for (let n = 0; n < count; n++) {
    if (n < bigMonth) {
      // The big month: larger deals that had been in the pipeline for months.
      // Most close in the last 30 days; 15–40% earlier in last month, more when the
      // last 30 days cover little of last month, so both readings see a big month.
      const recent = todayDay - 30;
      const lastMonthInRecent = Math.max(0, monthStart(todayDay) - recent) / 30;
      const earlierShare = Math.min(0.4, Math.max(0.15, 0.5 - lastMonthInRecent / 2));
      const [from, to] =
        window.firstDay < recent && rng.chance(earlierShare) ? [window.firstDay, recent - 1] : [recent, window.lastDay];
      const closeDay = workdayNear(rng.int(from, to), from, to);
      plans.push(
        planClosedDeal(rng, rep, dealAmountCents(rng, rep.typicalDealDollars, 1.4), {
          status: "won",
          closeDay,
          reason: null,
        }),
      );
      continue;
    }
    const roll = rng.next();
    const status = roll < 0.03 ? "prospect" : roll < 0.03 + rep.winRate ? "won" : "lost";
    const reason =
      status === "lost" ? rng.pick(LOST_REASONS) : status === "prospect" ? rng.pick(RETURN_TO_PROSPECT_REASONS) : null;
    const amount = dealAmountCents(rng, rep.typicalDealDollars);
    let plan: DealPlanInput;
    for (let attempt = 0; ; attempt++) {
      const closeDay = workdayNear(rng.int(first, todayDay - 1), first, todayDay - 1);
      plan = planClosedDeal(rng, rep, amount, { status, closeDay, reason });
      // The sales-trap team hardly opened new deals in its big month, even ones since lost.
      const openedInBigMonth = (plan.visits[0]?.day ?? 0) >= window.firstDay;
      if (rep.style !== "sales-trap" || status === "won" || !openedInBigMonth || attempt === 3 || rng.chance(0.3))
        break;
    }
    plans.push(plan);
  }
  return plans;
}

function planOpenPipeline(rng: Random, rep: RepProfile, count: number, todayDay: number): DealPlanInput[] {
  const conditions: OpenCondition[] = [];
  const mix: Array<[OpenCondition, number]> =
    rep.style === "stopped-following-up"
      ? [
          ["unanswered", 0.75],
          ["moving", 0.1],
          ["slow", 0.1],
          ["stale", 0.05],
        ]
      : [
          ["moving", rep.movingShare],
          ["slow", rep.slowShare],
          ["stale", Math.max(0, 1 - rep.movingShare - rep.slowShare)],
        ];
  apportion(
    count,
    mix.map(([, share]) => share),
  ).forEach((n, i) => {
    for (let k = 0; k < n; k++) conditions.push((mix[i] as [OpenCondition, number])[0]);
  });

  const trapStart = bigMonthWindow(todayDay).firstDay;
  // Steady reps add pipeline every week: one deal opened in the last 5 days, another in the last 3 weeks.
  const newDeals = rep.addsPipelineThisWeek ? [5, 20] : [];
  return conditions.map((condition) => {
    const openedWithinDays = condition === "moving" ? newDeals.shift() : undefined;
    // The sales-trap team mostly stopped opening deals during its big month.
    const openedBeforeDay = rep.style === "sales-trap" && rng.chance(0.85) ? trapStart : undefined;
    const factor = rep.style === "stuffed" && condition === "stale" ? 1.4 : 1;
    return planOpenDeal(rng, rep, dealAmountCents(rng, rep.typicalDealDollars, factor), {
      condition,
      todayDay,
      openedWithinDays,
      openedBeforeDay: openedWithinDays === undefined ? openedBeforeDay : undefined,
    });
  });
}

/**
 * The 800% rep: scale their open deals (all but the five-year deal, whose
 * amount is part of its story) so the open pipeline is exactly 8× this
 * quarter's quota, in whole $500 steps with the last dollar on the largest.
 */
function scaleStuffedPipeline(plans: DealPlanInput[], rep: RepProfile) {
  const target = DEMO_STORIES.stuffedPipelineRep.coverageOfQuarterQuota * rep.quarterQuotaDollars * 100;
  const open = plans.filter((plan) => plan.rep === rep && plan.exit === null);
  const fixed = open.filter((plan) => plan.activity.budgetWeight === 0);
  const scalable = open.filter((plan) => plan.activity.budgetWeight > 0);
  const fixedCents = fixed.reduce((sum, plan) => sum + plan.amountCents, 0);
  const scalableCents = scalable.reduce((sum, plan) => sum + plan.amountCents, 0);
  if (scalable.length === 0 || scalableCents === 0) return;
  const factor = (target - fixedCents) / scalableCents;
  for (const plan of scalable)
    plan.amountCents = Math.max(500_000, Math.round((plan.amountCents * factor) / 50_000) * 50_000);
  const largest = scalable.reduce((a, b) => (b.amountCents > a.amountCents ? b : a));
  const total = open.reduce((sum, plan) => sum + plan.amountCents, 0);
  largest.amountCents += target - total;
}

/**
 * Splits the activities left after the story deals and each deal's anchors
 * (first touch, each side's last activity) over the deals, by how long each
 * was worked and how intensely, so the total is exactly `activities`
 * whenever it is at least the anchors.
 */
function shareActivityBudget(plans: DealPlan[], activities: number): number {
  let fixed = 0;
  for (const plan of plans) fixed += plan.activity.pinned.length + plan.activity.extra;
  const budget = Math.max(0, activities - fixed);
  const shares = apportion(
    budget,
    plans.map((plan) => plan.activity.budgetWeight),
  );
  plans.forEach((plan, i) => {
    if (plan.activity.budgetWeight > 0) plan.activity.extra = shares[i] ?? 0;
  });
  return fixed + budget;
}

/** Mean days from opening to winning, per team, over the last 365 days (snapshot staleness). */
function averageWonCycleByTeam(plans: DealPlan[], todayDay: number): Map<string, number> {
  const sums = new Map<string, { days: number; deals: number }>();
  for (const plan of plans) {
    if (plan.exit?.status !== "won" || plan.exit.day < todayDay - 365) continue;
    const team = plan.rep.team.row.id;
    const entry = sums.get(team) ?? { days: 0, deals: 0 };
    entry.days += plan.exit.day - (plan.visits[0]?.day ?? plan.exit.day);
    entry.deals += 1;
    sums.set(team, entry);
  }
  const cycles = new Map<string, number>();
  for (const [team, { days, deals }] of sums) if (deals >= 10) cycles.set(team, days / deals);
  return cycles;
}
