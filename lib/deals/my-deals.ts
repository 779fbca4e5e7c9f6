// Reads for a rep's own deals (/my), or a manager's preview of a rep's page.
import { flagExplanation, flagWordingSelect } from "@/lib/flags/flag-explanation";
import "server-only";
import { visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { parseRuleSettings } from "@/lib/rules/settings";
import { type DealFlagView, type DealRowView, ruleLabel } from "./deal-row-view";
import { daysSince, dealRowSelect, toDealRow, userNames } from "./deal-rows";
import { cycleForTeam, type CycleInUse } from "./team-cycle";
import { sortDeals } from "./pipeline-view";

export interface MyDeals {
  /** Whose deals these are. */
  rep: { id: string; name: string; role: Viewer["role"]; teamName: string | null };
  /** False before any review covered the rep's team: screens say "Not reviewed yet", never "nothing flagged". */
  reviewed: boolean;
  /** True when a manager or admin is previewing a rep's page (?rep=). */
  preview: boolean;
  currency: string;
  cycle: CycleInUse;
  /** Flagged deals, worst first, then oldest. */
  flagged: DealRowView[];
  /** The rest, oldest first. */
  others: DealRowView[];
  openValueCents: number;
  /** Days since the rep last opened a deal; null if never. */
  daysSinceLastNewDeal: number | null;
  lastNewDeal: { id: number; name: string; openedAt: Date } | null;
  noNewPipelineDays: number;
  repFlags: DealFlagView[];
  /** Reps a manager or admin may preview (empty for reps). */
  previewableReps: { id: string; name: string; teamName: string | null }[];
}

/**
 * The viewer's own open deals; managers and admins may pass a rep they can see
 * (`?rep=`) to preview that rep's page. Null when that rep is out of scope.
 */
export async function getMyDeals(
  viewer: Viewer,
  asOf: Date,
  previewRepId?: string | null,
  client: DbClient = db,
  /** Flagged deals worst first (default), or flagged longest first. */
  order: "worst" | "longest" = "worst",
): Promise<MyDeals | null> {
  const preview = Boolean(previewRepId && previewRepId !== viewer.userId);
  if (preview && viewer.role === "rep") return null;
  const targetId = preview && previewRepId ? previewRepId : viewer.userId;
  const rep = await client.user.findFirst({
    where: { AND: [{ id: targetId }, preview ? visibleUsersWhere(viewer) : {}] },
    select: { id: true, name: true, role: true, teamId: true, team: { select: { name: true } } },
  });
  if (!rep) return null;

  const org = await client.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true, currency: true } });
  const settings = parseRuleSettings(org?.rules ?? {});
  const [cycleInfo, dealRecords, lastNew, repFlags, previewable] = await Promise.all([
    cycleForTeam(client, rep.teamId, asOf, settings),
    client.opportunity.findMany({
      where: { ownerId: rep.id, status: "open", openedAt: { lte: asOf } },
      select: dealRowSelect(asOf),
    }),
    client.opportunity.findFirst({
      where: { ownerId: rep.id, openedAt: { lte: asOf } },
      orderBy: [{ openedAt: "desc" }, { id: "desc" }],
      select: { id: true, name: true, openedAt: true },
    }),
    client.flag.findMany({
      where: { userId: rep.id, ...currentFlagWhere },
      select: { ...flagWordingSelect, severity: true },
    }),
    viewer.role === "rep"
      ? Promise.resolve([])
      : client.user.findMany({
          where: { AND: [visibleUsersWhere(viewer), { role: "rep", active: true }] },
          orderBy: [{ team: { name: "asc" } }, { name: "asc" }],
          select: { id: true, name: true, team: { select: { name: true } } },
        }),
  ]);
  const names = await userNames(
    client,
    dealRecords.flatMap((deal) => deal.waivers.map((waiver) => waiver.byId)),
  );
  const deals = dealRecords.map((deal) => toDealRow(deal, asOf, cycleInfo.cycle.days, names));
  const flagged = sortDeals(
    deals.filter((deal) => deal.flags.length > 0),
    order === "longest" ? "flaggedFor" : "flags",
    order === "longest" ? "desc" : "asc",
  );
  const others = sortDeals(
    deals.filter((deal) => deal.flags.length === 0),
    "age",
    "desc",
  );
  return {
    rep: { id: rep.id, name: rep.name, role: rep.role, teamName: rep.team?.name ?? null },
    reviewed: cycleInfo.latestReview !== null,
    preview,
    currency: org?.currency ?? "USD",
    cycle: cycleInfo.cycle,
    flagged,
    others,
    openValueCents: deals.reduce((sum, deal) => sum + deal.amountCents, 0),
    daysSinceLastNewDeal: lastNew?.openedAt ? daysSince(lastNew.openedAt, asOf) : null,
    // The query's `openedAt <= asOf` leaves out deals with no opened date.
    lastNewDeal: lastNew?.openedAt ? { id: lastNew.id, name: lastNew.name, openedAt: lastNew.openedAt } : null,
    noNewPipelineDays: settings.noNewPipelineDays,
    repFlags: repFlags.map((flag) => ({
      rule: flag.rule,
      label: ruleLabel(flag.rule),
      severity: flag.severity,
      explanation: flagExplanation(flag, asOf),
    })),
    previewableReps: previewable.map((user) => ({ id: user.id, name: user.name, teamName: user.team?.name ?? null })),
  };
}
