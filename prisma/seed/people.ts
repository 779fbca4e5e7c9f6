// Who sells: teams, their managers, reps, one admin, and each rep's quota.
//
// The first three teams are the story teams with fixed people (see
// vocabulary.ts); a larger organisation (the benchmark's 2,000 reps) adds
// regional teams of about nine reps with generated names. Each rep gets a
// selling profile — pace, deal size, win rate, how many of their deals keep
// moving — so no two pipelines look alike.
import { dayToDate, instantOn, quarterEnd, quarterStart } from "./calendar";
import { apportion, type Random } from "./random";
import type { QuotaRow, TeamRow, UserRow } from "./rows";
import { DEMO_STORIES, emailOf } from "./stories";
import { ADMIN, FIRST_NAMES, LAST_NAMES, MORE_TEAM_NAMES, type Person, STORY_TEAMS } from "./vocabulary";

/**
 * How a rep runs their pipeline:
 * - steady: most deals move, a few slow or stale ones (the normal case);
 * - stuffed: the 800% rep — keeps everything, most of it stale;
 * - stopped-following-up: buyers still engage, the rep went quiet;
 * - sales-trap: a member of the team that closed a big month while its
 *   pipeline dried up.
 */
export type RepStyle = "steady" | "stuffed" | "stopped-following-up" | "sales-trap";

export interface TeamProfile {
  row: TeamRow;
  index: number;
  /** Multiplies stage durations: 1.0 ≈ a 70-day winning cycle. */
  pace: number;
  /** Typical deal size for the team, whole dollars. */
  typicalDealDollars: number;
  isSalesTrap: boolean;
}

export interface RepProfile {
  user: UserRow;
  team: TeamProfile;
  /** Position in the team (story roles are given by position). */
  position: number;
  style: RepStyle;
  pace: number;
  typicalDealDollars: number;
  winRate: number;
  /** Shares of open deals that keep moving, move slowly, or went stale. */
  movingShare: number;
  slowShare: number;
  /** Relative number of open / closed deals compared with a typical rep. */
  openWeight: number;
  closedWeight: number;
  /** Opened a new opportunity in the last week (the no-new-pipeline rule). */
  addsPipelineThisWeek: boolean;
  /** This quarter's quota, whole dollars. */
  quarterQuotaDollars: number;
}

export interface People {
  teams: TeamProfile[];
  users: UserRow[];
  reps: RepProfile[];
  admin: UserRow;
}

/** Fewest reps that still give each story team the four reps its stories need. */
export const MIN_REPS = 12;

/** About one team per nine reps, never fewer than the three story teams. */
export function teamCount(reps: number): number {
  return Math.max(STORY_TEAMS.length, Math.ceil(reps / 9));
}

const STORY_TEAM_STYLE = [
  { pace: 1.0, typicalDealDollars: 42_000 },
  { pace: 1.15, typicalDealDollars: 36_000 },
  { pace: 1.3, typicalDealDollars: 52_000 },
];

export function createPeople(rng: Random, repCount: number, todayDay: number): People {
  const users: UserRow[] = [];
  const usedEmails = new Set<string>();
  let nextUser = 1;
  const veteran = instantOn(todayDay - 6 * 365, 15);
  const joined = instantOn(todayDay - 1000, 15);
  const addUser = (person: Person, role: UserRow["role"], teamId: string | null, createdAt: Date): UserRow => {
    let email = emailOf(person);
    if (usedEmails.has(email)) {
      // Two people with the same name: jane.doe2@…, as a mail admin would.
      const [local, domain] = email.split("@");
      let n = 2;
      while (usedEmails.has(`${local}${n}@${domain}`)) n++;
      email = `${local}${n}@${domain}`;
    }
    usedEmails.add(email);
    const user: UserRow = {
      id: `demo-user-${String(nextUser++).padStart(4, "0")}`,
      name: `${person.first} ${person.last}`,
      email,
      role,
      teamId,
      active: true,
      createdAt,
    };
    users.push(user);
    return user;
  };

  const admin = addUser(ADMIN, "admin", null, veteran);
  const names = generatedNames(rng);
  const teamTotal = teamCount(repCount);
  const teamSizes = apportion(repCount, new Array(teamTotal).fill(1));
  const teams: TeamProfile[] = [];
  const reps: RepProfile[] = [];

  for (let t = 0; t < teamTotal; t++) {
    const story = STORY_TEAMS[t];
    const row: TeamRow = {
      id: `demo-team-${String(t + 1).padStart(3, "0")}`,
      name: story?.name ?? extraTeamName(t - STORY_TEAMS.length),
      managerId: null,
      createdAt: veteran,
    };
    const style = STORY_TEAM_STYLE[t];
    const team: TeamProfile = {
      row,
      index: t,
      pace: style?.pace ?? round2(rng.between(0.85, 1.45)),
      typicalDealDollars: style?.typicalDealDollars ?? 1000 * rng.int(25, 60),
      isSalesTrap: row.name === DEMO_STORIES.salesTrapTeam.name,
    };
    teams.push(team);
    const manager = addUser(story?.manager ?? names.next(usedEmails), "manager", row.id, veteran);
    row.managerId = manager.id;

    const size = teamSizes[t] ?? 0;
    for (let position = 0; position < size; position++) {
      const person = story?.reps[position] ?? names.next(usedEmails);
      const email = emailOf(person);
      const isStuffed = email === DEMO_STORIES.stuffedPipelineRep.email;
      const user = addUser(person, "rep", row.id, isStuffed ? veteran : joined);
      reps.push(repProfile(rng, user, team, position));
    }
  }
  return { teams, users, reps, admin };
}

function repProfile(rng: Random, user: UserRow, team: TeamProfile, position: number): RepProfile {
  const healthy = (DEMO_STORIES.healthyRepEmails as readonly string[]).includes(user.email);
  let style: RepStyle = "steady";
  if (user.email === DEMO_STORIES.stuffedPipelineRep.email) style = "stuffed";
  else if (user.email === DEMO_STORIES.stoppedFollowingUpRep.email) style = "stopped-following-up";
  else if (team.isSalesTrap) style = "sales-trap";

  const profile: RepProfile = {
    user,
    team,
    position,
    style,
    pace: round2(team.pace * rng.between(0.9, 1.1)),
    typicalDealDollars: 500 * Math.round((team.typicalDealDollars * rng.between(0.75, 1.3)) / 500),
    winRate: round2(rng.between(0.25, 0.38)),
    movingShare: healthy ? 0.87 : round2(rng.between(0.55, 0.8)),
    slowShare: 0,
    openWeight: round2(rng.between(0.7, 1.3)),
    closedWeight: round2(rng.between(0.8, 1.2)),
    addsPipelineThisWeek: style === "steady",
    quarterQuotaDollars: 0,
  };
  profile.slowShare = round2((1 - profile.movingShare) * 0.6);

  switch (style) {
    case "stuffed":
      // Keeps every deal "in case": twice the deals, most of them stale.
      Object.assign(profile, { movingShare: 0.15, slowShare: 0.15, openWeight: 2.2, winRate: 0.22 });
      break;
    case "stopped-following-up":
      Object.assign(profile, { movingShare: 0.15, slowShare: 0.1, winRate: 0.28 });
      break;
    case "sales-trap":
      // The pipeline shrank: fewer open deals than a rep of their size carries.
      profile.openWeight = round2(profile.openWeight * 0.7);
      break;
    case "steady":
      break;
  }
  if (user.name === "Owen Murphy") Object.assign(profile, { movingShare: 0.45, slowShare: 0.35 });
  if (user.name === "Fatima Noor") Object.assign(profile, { openWeight: 0.6, closedWeight: 0.5 });
  return profile;
}

/**
 * Quotas per rep per calendar quarter, from the quarter two years back to
 * next quarter. This quarter's quota is what the rep's normal open pipeline
 * covers about 2.8–3.8 times; earlier quarters were a little lower (growth).
 */
export function createQuotas(rng: Random, reps: RepProfile[], averageOpenDeals: number, todayDay: number): QuotaRow[] {
  const quotas: QuotaRow[] = [];
  const current = quarterStart(todayDay);
  const first = quarterStart(todayDay - 730);
  let id = 1;
  for (const rep of reps) {
    const normalOpenDollars = averageOpenDeals * rep.typicalDealDollars;
    const quarter = Math.max(25_000, 5_000 * Math.round(normalOpenDollars / rng.between(2.8, 3.8) / 5_000));
    rep.quarterQuotaDollars = quarter;
    for (let start = first; start <= quarterStart(todayDay, 1); start = quarterStart(start, 1)) {
      const quartersAway = Math.round((start - current) / 91);
      const dollars = Math.max(25_000, 5_000 * Math.round((quarter * (1 + 0.025 * quartersAway)) / 5_000));
      quotas.push({
        id: id++,
        userId: rep.user.id,
        periodStart: dayToDate(start),
        periodEnd: dayToDate(quarterEnd(start)),
        amount: `${dollars}.00`,
      });
    }
  }
  return quotas;
}

function extraTeamName(index: number): string {
  const base = MORE_TEAM_NAMES[index % MORE_TEAM_NAMES.length] as string;
  const round = Math.floor(index / MORE_TEAM_NAMES.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}

/** Every first × last name combination once, in a seeded order. */
function generatedNames(rng: Random) {
  const total = FIRST_NAMES.length * LAST_NAMES.length;
  const stride = 1447; // prime, so i × stride mod total visits every combination
  let i = rng.int(0, total - 1);
  let handed = 0;
  return {
    next(usedEmails: Set<string>): Person {
      for (;;) {
        const k = (i * stride) % total;
        i++;
        handed++;
        const person: Person = {
          first: FIRST_NAMES[k % FIRST_NAMES.length] as string,
          last: LAST_NAMES[Math.floor(k / FIRST_NAMES.length)] as string,
        };
        // After every combination has been used once, names repeat (emails get a number).
        if (handed > total || !usedEmails.has(emailOf(person))) return person;
      }
    },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
