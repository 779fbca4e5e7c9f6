// The back-test's figures (pure): per rule and threshold, how the deals the
// rule would have flagged ended compared with the deals it never flagged —
// for the organisation and for each team with enough closed deals to trust
// (the rules' own minSample).
import { MS_PER_DAY, utcDayNumber } from "@/lib/rules/days";
import type { RuleSettings } from "@/lib/rules/settings";
import { median } from "@/lib/rules/statistics";
import type { TeamRef } from "@/lib/rules/statistics";
import { type DealReplay, SWEEPS, SWEPT_RULES, type SweptRule, type SweptThresholds, sweptThresholds } from "./replay";

export interface ThresholdFigures {
  threshold: number;
  /** The threshold set now (for a team's figures: the team's own, or the organisation default it follows). */
  current: boolean;
  flagged: number;
  flaggedWon: number;
  /** Share of the flagged deals that were won, 0–1; null when none was flagged. */
  flaggedWinRate: number | null;
  notFlagged: number;
  notFlaggedWon: number;
  notFlaggedWinRate: number | null;
  /** Deals the rule could never judge (no stage history, too few won deals to compare with). */
  notJudged: number;
  /** Median whole days from the first day it would have flagged to the day the deal closed. */
  medianDaysFlagToClose: number | null;
  /** What the flagged deals that were won brought in: the cost of dropping them when flagged. */
  flaggedWonCents: number;
}

export interface RuleSweep {
  rule: SweptRule;
  setting: keyof RuleSettings;
  unit: string;
  thresholds: ThresholdFigures[];
}

export interface BacktestGroup {
  /** Null: the organisation. */
  teamId: string | null;
  name: string;
  closedDeals: number;
  won: number;
  winRate: number | null;
  /** A team shown although it has fewer closed deals than minSample (the team asked for). */
  belowMinSample: boolean;
  sweeps: RuleSweep[];
}

export interface BacktestReport {
  asOf: Date;
  windowDays: number;
  /** The window's first instant: deals closed in [from, asOf). */
  from: Date;
  /** The team the back-test was limited to; null: the organisation. */
  teamId: string | null;
  closedDeals: number;
  /** Closed in the window without an opened date: left out. */
  datesUnknown: number;
  minSample: number;
  groups: BacktestGroup[];
  /** Teams left out of the per-team figures: fewer than minSample closed deals. */
  smallTeams: { name: string; closedDeals: number }[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function figuresFor(deals: readonly DealReplay[], rule: SweptRule, index: number, threshold: number, current: number) {
  let flagged = 0;
  let flaggedWon = 0;
  let notFlagged = 0;
  let notFlaggedWon = 0;
  let notJudged = 0;
  let flaggedWonCents = 0;
  const daysToClose: number[] = [];
  for (const deal of deals) {
    const outcome = deal.outcomes[rule][index];
    if (!outcome) continue;
    if (outcome.firstFlaggedOn !== null) {
      flagged++;
      daysToClose.push(utcDayNumber(deal.closedAt) - utcDayNumber(outcome.firstFlaggedOn));
      if (deal.won) {
        flaggedWon++;
        flaggedWonCents += deal.amountCents;
      }
    } else if (!outcome.judged && deal.daysLookedAt > 0) {
      notJudged++;
    } else {
      notFlagged++;
      if (deal.won) notFlaggedWon++;
    }
  }
  return {
    threshold,
    current: threshold === current,
    flagged,
    flaggedWon,
    flaggedWinRate: rate(flaggedWon, flagged),
    notFlagged,
    notFlaggedWon,
    notFlaggedWinRate: rate(notFlaggedWon, notFlagged),
    notJudged,
    medianDaysFlagToClose: daysToClose.length === 0 ? null : median(daysToClose),
    flaggedWonCents,
  } satisfies ThresholdFigures;
}

function group(
  deals: readonly DealReplay[],
  settings: RuleSettings,
  thresholds: SweptThresholds,
  head: { teamId: string | null; name: string; belowMinSample: boolean },
): BacktestGroup {
  const won = deals.filter((deal) => deal.won).length;
  return {
    ...head,
    closedDeals: deals.length,
    won,
    winRate: rate(won, deals.length),
    sweeps: SWEPT_RULES.map((rule) => {
      const current = settings[SWEEPS[rule].setting];
      return {
        rule,
        setting: SWEEPS[rule].setting,
        unit: SWEEPS[rule].unit,
        thresholds: thresholds[rule].map((threshold, index) => figuresFor(deals, rule, index, threshold, current)),
      };
    }),
  };
}

/**
 * The organisation (or the one team asked for) first, then every team with at
 * least minSample closed deals in the window, by name.
 */
export function backtestReport(
  replays: readonly DealReplay[],
  input: {
    settings: RuleSettings;
    teams: readonly TeamRef[];
    asOf: Date;
    windowDays: number;
    teamId: string | null;
    datesUnknown: number;
    /** Each team's own thresholds (default: the organisation's for all). */
    settingsOf?: (teamId: string) => RuleSettings;
    /** The thresholds the replays tried, per rule (default: the sweep and `settings`' own). */
    thresholds?: SweptThresholds;
  },
): BacktestReport {
  const { settings, teams, teamId } = input;
  const settingsOf = input.settingsOf ?? (() => settings);
  const thresholds = input.thresholds ?? sweptThresholds(settings);
  const byTeam = new Map<string, DealReplay[]>();
  for (const deal of replays) {
    if (deal.teamId === null) continue;
    const list = byTeam.get(deal.teamId);
    if (list) list.push(deal);
    else byTeam.set(deal.teamId, [deal]);
  }
  const groups: BacktestGroup[] = [];
  const smallTeams: BacktestReport["smallTeams"] = [];
  if (teamId !== null) {
    const team = teams.find((candidate) => candidate.id === teamId);
    groups.push(
      group(replays, settingsOf(teamId), thresholds, {
        teamId,
        name: team?.name ?? "Team",
        belowMinSample: replays.length < settings.minSample,
      }),
    );
  } else {
    groups.push(group(replays, settings, thresholds, { teamId: null, name: "Organisation", belowMinSample: false }));
    for (const team of teams) {
      const deals = byTeam.get(team.id) ?? [];
      if (deals.length >= settings.minSample)
        groups.push(
          group(deals, settingsOf(team.id), thresholds, { teamId: team.id, name: team.name, belowMinSample: false }),
        );
      else if (deals.length > 0) smallTeams.push({ name: team.name, closedDeals: deals.length });
    }
  }
  return {
    asOf: input.asOf,
    windowDays: input.windowDays,
    from: new Date(input.asOf.getTime() - input.windowDays * MS_PER_DAY),
    teamId,
    closedDeals: replays.length,
    datesUnknown: input.datesUnknown,
    minSample: settings.minSample,
    groups,
    smallTeams,
  };
}
