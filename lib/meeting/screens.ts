// Turns the meeting agenda into the screens the meeting walks through, as
// plain serialisable data with every figure already in words (money and dates
// through lib/format), so the client deck only renders and handles keys.
//
// Order: the team summary, then each rep (several screens when they have more
// deals than a screen holds: "Ana Rep (2/2)"), then the decisions taken.
import { asSentence, formatCount, formatDate, formatDays, formatMoney } from "@/lib/format";
import type { DecisionAction, Severity } from "@/lib/generated/prisma/enums";
import { describeFlaggedBreakdown, type FlaggedBreakdown } from "@/lib/reviews/flagged-breakdown";
import {
  dealsOnPage,
  type MeetingAgenda,
  type MeetingDealRow,
  type MeetingDecision,
  type MeetingFigures,
  type MeetingFlag,
  type MeetingRep,
  MEETING_DEALS_PER_SCREEN,
  screensFor,
} from "./types";

/** Decisions per screen on the last screen(s). */
export const DECISIONS_PER_SCREEN = 12;

export interface FlagView {
  label: string;
  severity: Severity;
  explanation: string;
}

export interface FigureView {
  label: string;
  value: string;
  hint?: string;
}

export interface DealRowView {
  dealId: number;
  version: number;
  name: string;
  account: string | null;
  stage: string;
  /** In an early ("interested") stage: singled out because it is flagged. */
  early: boolean;
  /** "Prospect" / "Lost" / "Won" once the deal left the pipeline; null while open. */
  status: string | null;
  open: boolean;
  amount: string;
  age: string;
  /** "38× cycle", when the review measured the team's cycle. */
  ageMultiple: string | null;
  /** "flagged for 5 weeks (since Oct 30)"; null when not flagged. */
  flaggedFor: string | null;
  daysInStage: string;
  mainFlag: FlagView | null;
  otherFlags: FlagView[];
  /** An active waiver, in words. */
  waiver: string | null;
  /** This meeting's decision on the deal, in words ("Moved back to Demo"). */
  outcome: string | null;
  /** Where "move back" would put it; null in the first stage. */
  previousStage: string | null;
}

export interface TrendPointView {
  week: string;
  open: number;
  stale: number;
  openText: string;
  staleText: string;
  newText: string;
  wonText: string;
}

export interface SummaryScreen {
  kind: "summary";
  key: "summary";
  title: string;
  scope: string;
  review: string | null;
  figures: FigureView[];
  coverage: FigureView | null;
  severities: { severity: Severity; label: string; deals: string; value: string }[];
  /** "29 flagged: 23 stale, 4 at risk, 2 nudges": the severities as a breakdown of the flagged deals. */
  flaggedBreakdown: string;
  repNudges: string | null;
  warnings: (FlagView & { team: string })[];
  trend: TrendPointView[];
  trendText: string;
  agenda: string;
  decisionsSoFar: number;
}

export interface RepScreen {
  kind: "rep";
  key: string;
  title: string;
  repId: string;
  repName: string;
  team: string | null;
  page: number;
  pages: number;
  headline: FigureView[];
  flags: FlagView[];
  /** "12 early-stage deals, $340k — anything new?"; null on later pages. */
  earlyLine: string | null;
  /** Number of the first row on this page (1-based), for "deals 16–17 of 17". */
  firstRow: number;
  totalRows: number;
  /** Null until the rep's deals are loaded (the deck asks for them as the screen comes near). */
  deals: DealRowView[] | null;
}

export interface DecisionRowView {
  id: number;
  number: number;
  dealId: number;
  deal: string;
  account: string | null;
  rep: string;
  amount: string;
  outcome: string;
  reason: string;
  by: string;
}

export interface DecisionsScreen {
  kind: "decisions";
  key: string;
  title: string;
  page: number;
  pages: number;
  summary: string;
  rows: DecisionRowView[];
}

export type MeetingScreen = SummaryScreen | RepScreen | DecisionsScreen;

const SEVERITY_LABEL: Record<Severity, string> = {
  stale: "Stale",
  at_risk: "At risk",
  nudge: "Nudge",
  warning: "Warning",
};

const STATUS_LABEL: Record<string, string> = { prospect: "Prospect", won: "Won", lost: "Lost" };

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function multiple(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function flagView(flag: MeetingFlag): FlagView {
  return { label: flag.label, severity: flag.severity, explanation: flag.explanation };
}

/** A decision in words, from what the action recorded. */
export function describeOutcome(action: DecisionAction, details: Record<string, unknown> | null): string {
  const detail = (key: string) => (typeof details?.[key] === "string" ? (details[key] as string) : null);
  const until = detail("until");
  const untilText = until ? formatDate(new Date(`${until}T00:00:00.000Z`)) : null;
  switch (action) {
    case "move_back":
      return detail("to") ? `Moved back to ${detail("to")}` : "Moved back a stage";
    case "return_to_prospecting":
      return "Returned to prospecting";
    case "remove":
      return "Removed: closed lost";
    case "keep_with_waiver":
      return untilText ? `Kept until ${untilText}` : "Kept with a waiver";
    case "waiting_on_buyer":
      return untilText ? `Waiting on buyer until ${untilText}` : "Waiting on buyer";
    case "reopen":
      return "Reopened";
  }
}

function coverageView(figures: MeetingFigures, currency: string, options: { short?: boolean } = {}): FigureView | null {
  if (!figures.quota) return null;
  const left = `${formatMoney(figures.quota.remaining, currency, { compact: true })} quota left`;
  if (!figures.coverage) {
    return { label: "Quota coverage", value: "Quota met", hint: `${formatMoney(figures.quota.won, currency)} won` };
  }
  return {
    label: "Coverage: raw → real",
    value: `${multiple(figures.coverage.raw)} → ${multiple(figures.coverage.adjusted)}`,
    hint: options.short ? left : `of the ${left}; real = without stale deals`,
  };
}

function figureViews(figures: MeetingFigures, currency: string): FigureView[] {
  return [
    {
      label: "Open pipeline",
      value: formatMoney(figures.openValue, currency, { compact: true }),
      hint: `${plural(figures.openDeals, "deal")} · weighted ${formatMoney(figures.weightedValue, currency, { compact: true })}`,
    },
    {
      label: "Stale",
      value: formatMoney(figures.staleValue, currency, { compact: true }),
      hint: `${percent(figures.staleShare)} of the pipeline · ${plural(figures.staleDeals, "deal")}`,
    },
  ];
}

/**
 * The deal's own words when its name starts with its account, as CRM exports
 * often name deals ("Brightwater Logistics — Fleet visibility platform" at
 * Brightwater Logistics → "Fleet visibility platform"): the account has its
 * own column, and a long name then fits the screen without "…".
 */
export function nameWithoutAccount(name: string, account: string | null): string {
  if (!account) return name;
  const trimmedAccount = account.trim();
  if (!name.toLocaleLowerCase().startsWith(trimmedAccount.toLocaleLowerCase())) return name;
  const rest = name.slice(trimmedAccount.length).replace(/^\s*[—–\-:|·,/]\s*/, "");
  // Only when the account was followed by a separator, and something is left.
  return rest.length > 0 && rest !== name.slice(trimmedAccount.length) ? rest : name;
}

/** A deal's row in words; the deck gets rows of reps loaded later through lib/meeting/actions.ts. */
export function dealRowView(deal: MeetingDealRow): DealRowView {
  const [main, ...others] = deal.flags;
  let waiver: string | null = null;
  if (deal.waiver) {
    const what = deal.waiver.kind === "manager_keep" ? "Kept" : "Waiting on buyer";
    waiver = `${what} until ${formatDate(deal.waiver.until)}: ${asSentence(deal.waiver.reason)}`;
  }
  return {
    dealId: deal.id,
    version: deal.version,
    name: nameWithoutAccount(deal.name, deal.accountName),
    account: deal.accountName,
    stage: deal.stageName,
    early: deal.early,
    status: STATUS_LABEL[deal.status] ?? null,
    open: deal.status === "open",
    amount: formatMoney(deal.amount, deal.currency),
    age: `${formatCount(deal.ageDays)} d`,
    ageMultiple: deal.cycleMultiple !== null ? `${deal.cycleMultiple}× cycle` : null,
    daysInStage: formatDays(deal.daysInStage),
    flaggedFor: deal.flaggedFor,
    mainFlag: main ? flagView(main) : null,
    otherFlags: others.map(flagView),
    waiver,
    outcome: deal.decision ? describeOutcome(deal.decision.action, deal.decision.details) : null,
    previousStage: deal.previousStageName,
  };
}

/** The meeting's severity counts already count each deal once, at its worst severity (see data.ts). */
function breakdownOf(figures: MeetingFigures): FlaggedBreakdown {
  return {
    flagged: figures.flaggedDeals,
    stale: figures.bySeverity.stale.deals,
    atRisk: figures.bySeverity.at_risk.deals,
    nudge: figures.bySeverity.nudge.deals,
  };
}

/** "Ana Rep", or "Ana Rep (2/3)" when the rep takes several screens. */
export function repScreenTitle(repName: string, page: number, pages: number): string {
  return pages > 1 ? `${repName} (${page}/${pages})` : repName;
}

/**
 * The account to show under a deal's name: none when the name already says it
 * ("Renewal for Acme" at Acme), so a row does not repeat it.
 */
export function accountToShow(name: string, account: string | null): string | null {
  if (!account?.trim()) return null;
  return name.toLocaleLowerCase().includes(account.trim().toLocaleLowerCase()) ? null : account;
}

/**
 * A rep's screens as the server estimates them (MEETING_DEALS_PER_SCREEN rows
 * each); the deck re-cuts them once it has measured the rows (fit.ts).
 */
function repScreens(rep: MeetingRep, currency: string): RepScreen[] {
  const { figures } = rep;
  const headline: FigureView[] = [
    ...figureViews(figures, currency),
    {
      label: "Flagged",
      value: formatCount(figures.flaggedDeals),
      hint: describeFlaggedBreakdown(breakdownOf(figures)),
    },
  ];
  const coverage = coverageView(figures, currency, { short: true });
  if (coverage) headline.push(coverage);
  headline.push({
    label: "New in 30 days",
    value: formatMoney(figures.newPipelineValue, currency, { compact: true }),
    hint:
      rep.daysSinceLastNewDeal === null
        ? "never opened a deal"
        : `${plural(figures.newPipelineDeals, "deal")} · last ${rep.daysSinceLastNewDeal === 0 ? "today" : `${formatDays(rep.daysSinceLastNewDeal)} ago`}`,
  });
  const early = rep.earlyGroup;
  const earlyLine =
    early.deals > 0
      ? `${plural(early.deals, "early-stage deal")}, ${formatMoney(early.value, currency, { compact: true })} — anything new?`
      : "No other early-stage deals.";
  const pageCount = screensFor(rep.discussedDeals);
  const rows = rep.dealsLoaded ? rep.deals.map(dealRowView) : null;
  return Array.from({ length: pageCount }, (_, index) => ({
    kind: "rep",
    key: `rep-${rep.repId}-${index + 1}`,
    title: repScreenTitle(rep.repName, index + 1, pageCount),
    repId: rep.repId,
    repName: rep.repName,
    team: rep.teamName,
    page: index + 1,
    pages: pageCount,
    headline,
    flags: rep.flags.map(flagView),
    earlyLine: index === 0 ? earlyLine : null,
    firstRow: index * MEETING_DEALS_PER_SCREEN + 1,
    totalRows: rep.discussedDeals,
    deals: rows ? dealsOnPage(rows, index + 1, pageCount) : null,
  }));
}

function trendViews(agenda: MeetingAgenda, currency: string): { points: TrendPointView[]; text: string } {
  const points = agenda.trend.map((point) => ({
    week: formatDate(point.weekStart),
    open: point.openValue.toNumber(),
    stale: point.staleValue.toNumber(),
    openText: formatMoney(point.openValue, currency, { compact: true }),
    staleText: formatMoney(point.staleValue, currency, { compact: true }),
    newText: formatMoney(point.newPipelineValue, currency, { compact: true }),
    wonText: formatMoney(point.wonValue, currency, { compact: true }),
  }));
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return { points, text: "No weekly snapshots yet: each review records one per rep per week." };
  if (first === last) return { points, text: `Week of ${last.week}: open ${last.openText}, stale ${last.staleText}.` };
  return {
    points,
    text: `Open pipeline ${first.openText} (week of ${first.week}) → ${last.openText} (week of ${last.week}); stale ${first.staleText} → ${last.staleText}.`,
  };
}

function decisionScreens(decisions: MeetingDecision[]): DecisionsScreen[] {
  const counts = new Map<string, number>();
  for (const decision of decisions) {
    const kind = describeOutcome(decision.action, null);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const summary = decisions.length
    ? `${plural(decisions.length, "decision")}: ${[...counts].map(([kind, n]) => `${formatCount(n)} ${kind.toLowerCase()}`).join(" · ")}`
    : "No decisions yet in this meeting. Decide on a rep's deals with K, B, P or R.";
  const rows: DecisionRowView[] = decisions.map((decision, index) => ({
    id: decision.id,
    number: index + 1,
    dealId: decision.deal.id,
    deal: decision.deal.name,
    account: decision.deal.accountName,
    rep: decision.deal.ownerName,
    amount: formatMoney(decision.deal.amount, decision.deal.currency),
    outcome: describeOutcome(decision.action, decision.details),
    reason: decision.reason,
    // Decisions taken on a deal's page during the meeting's period count too; say where.
    by: `${decision.byName ?? "System"}${decision.inMeeting ? "" : " (on the deal's page)"}`,
  }));
  const pages: DecisionRowView[][] = [];
  for (let start = 0; start < Math.max(rows.length, 1); start += DECISIONS_PER_SCREEN) {
    pages.push(rows.slice(start, start + DECISIONS_PER_SCREEN));
  }
  return pages.map((page, index) => ({
    kind: "decisions",
    key: `decisions-${index + 1}`,
    title: pages.length > 1 ? `Decisions taken (${index + 1}/${pages.length})` : "Decisions taken",
    page: index + 1,
    pages: pages.length,
    summary,
    rows: page,
  }));
}

export function buildMeetingScreens(
  agenda: MeetingAgenda,
  decisions: MeetingDecision[],
  options: { currency: string; scopeName: string },
): MeetingScreen[] {
  const { currency } = options;
  const { summary } = agenda;
  const trend = trendViews(agenda, currency);
  const reps = agenda.review ? agenda.reps.flatMap((rep) => repScreens(rep, currency)) : [];
  const decisionPages = agenda.review ? decisionScreens(decisions) : [];
  const nudgedReps = agenda.reps.filter((rep) => rep.flags.some((flag) => flag.rule === "no-new-pipeline")).length;
  const review = agenda.review;
  const summaryScreen: SummaryScreen = {
    kind: "summary",
    key: "summary",
    title: "Pipeline meeting",
    scope: options.scopeName,
    review: review
      ? `Review #${review.id} run ${formatDate(review.at)}${review.byName ? ` by ${review.byName}` : ""}, as of ${formatDate(review.asOf)}`
      : null,
    // Before the first review nothing is flagged yet: show only what does not depend on flags.
    figures: review
      ? [
          ...figureViews(summary, currency),
          {
            label: "Flagged",
            value: formatCount(summary.flaggedDeals),
            hint: `${formatMoney(summary.flaggedValue, currency, { compact: true })} in flagged deals`,
          },
        ]
      : [figureViews(summary, currency)[0] as FigureView],
    coverage: review
      ? coverageView(summary, currency)
      : summary.coverage
        ? {
            label: "Coverage of quota left",
            value: multiple(summary.coverage.raw),
            hint: "raw: a review shows how much of it is real",
          }
        : null,
    severities: review
      ? (["stale", "at_risk", "nudge"] as const).map((severity) => ({
          severity,
          label: SEVERITY_LABEL[severity],
          deals: plural(summary.bySeverity[severity].deals, "deal"),
          value: formatMoney(summary.bySeverity[severity].value, currency, { compact: true }),
        }))
      : [],
    flaggedBreakdown: describeFlaggedBreakdown(breakdownOf(summary)),
    repNudges: nudgedReps ? `${plural(nudgedReps, "rep")} opened no new deal lately (no-new-pipeline nudge).` : null,
    warnings: agenda.teamWarnings.map((warning) => ({ ...flagView(warning), team: warning.teamName })),
    trend: trend.points,
    trendText: trend.text,
    agenda: !agenda.reps.length
      ? "No reps in your scope: there is nobody's pipeline to go through."
      : review
        ? `${plural(agenda.reps.length, "rep")} on ${plural(reps.length, "screen")}, then the decisions.`
        : `${plural(agenda.reps.length, "rep")} to go through once the review has run.`,
    decisionsSoFar: decisions.length,
  };
  return [summaryScreen, ...reps, ...decisionPages];
}
