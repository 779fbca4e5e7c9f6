// Writes of the settings screen: rule thresholds, stages, quotas and the fixed
// "as of" date. Each runs inside the caller's transaction, checks the role
// first, and leaves an AuditEvent with before → after. Organisation-wide
// settings (thresholds, stages, the as-of date) are the admin's (SPEC,
// Permissions); a manager sets quotas for the reps of their own team only.
import { ActionRefused } from "@/lib/action-result";
import { recordAudit, recordAudits, type AuditInput } from "@/lib/audit/mutations";
import { assertRole } from "@/lib/auth/permissions";
import { visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import type { DbClient } from "@/lib/db";
import { refreshRepFigures } from "@/lib/figures/mutations";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  parseRuleSettings,
  parseTeamOverrides,
  type RuleSettings,
  TEAM_OVERRIDABLE_KEYS,
  type TeamOverrides,
} from "@/lib/rules/settings";
import type { QuotasInput, StageInput } from "./schema";
import { canEditTeamThresholds } from "@/lib/org/team-thresholds";

export interface SettingsChangeContext {
  actor: Viewer;
  now: Date;
}

/** Who changes what every team sees: thresholds, stages, the as-of date. */
const ORGANISATION_EDITORS: Viewer["role"][] = ["admin"];
/** Who sets quotas (a manager only for the reps of their own team, checked below). */
const QUOTA_EDITORS: Viewer["role"][] = ["admin", "manager"];

export async function saveRuleSettings(
  tx: DbClient,
  ctx: SettingsChangeContext,
  settings: RuleSettings,
): Promise<{ changed: (keyof RuleSettings)[] }> {
  assertRole(ctx.actor, ORGANISATION_EDITORS, "change the organisation's rule thresholds");
  const row = await tx.orgSettings.findUnique({ where: { id: 1 }, select: { rules: true } });
  const before = parseRuleSettings(row?.rules ?? {});
  const changed = (Object.keys(settings) as (keyof RuleSettings)[]).filter((key) => before[key] !== settings[key]);
  if (changed.length === 0) return { changed };
  const after = { ...settings } as Prisma.InputJsonObject;
  await tx.orgSettings.upsert({ where: { id: 1 }, create: { id: 1, rules: after }, update: { rules: after } });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "settings.rules.update",
    entityType: "settings",
    entityId: 1,
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, settings[key]])),
    at: ctx.now,
  });
  return { changed };
}

/**
 * Replaces a team's threshold overrides with `overrides`: a key left out goes
 * back to the organisation default. Audited with the changed keys, before →
 * after (null meaning "organisation default").
 */
export async function saveTeamRuleOverrides(
  tx: DbClient,
  ctx: SettingsChangeContext,
  input: { teamId: string; overrides: TeamOverrides },
): Promise<{ changed: string[]; teamName: string }> {
  if (!canEditTeamThresholds(ctx.actor, input.teamId)) {
    throw new ActionRefused(
      ctx.actor.role === "manager"
        ? "You can set thresholds for your own team only. Ask an admin to change another team's."
        : "Only a team's manager or an admin can set the team's thresholds. Ask your manager.",
      "forbidden",
    );
  }
  const team = await tx.team.findUnique({
    where: { id: input.teamId },
    select: { name: true, ruleSettings: { select: { overrides: true } } },
  });
  if (!team) throw new ActionRefused("That team no longer exists. Reload the page.", "conflict");
  const before = parseTeamOverrides(team.ruleSettings?.overrides ?? {});
  const after = parseTeamOverrides(input.overrides);
  const changed = TEAM_OVERRIDABLE_KEYS.filter((key) => before[key] !== after[key]);
  if (changed.length === 0) return { changed, teamName: team.name };
  const overrides = { ...after } as Prisma.InputJsonObject;
  await tx.teamRuleSettings.upsert({
    where: { teamId: input.teamId },
    create: { teamId: input.teamId, overrides },
    update: { overrides },
  });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "settings.team-rules.update",
    entityType: "team",
    entityId: input.teamId,
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key] ?? null])),
    at: ctx.now,
  });
  return { changed, teamName: team.name };
}

export async function saveStages(
  tx: DbClient,
  ctx: SettingsChangeContext,
  stages: StageInput[],
): Promise<{ changed: number }> {
  assertRole(ctx.actor, ORGANISATION_EDITORS, "change the stages");
  const existing = await tx.stage.findMany({
    select: { id: true, name: true, order: true, probability: true, early: true, maxDaysInStage: true },
  });
  const byId = new Map(existing.map((stage) => [stage.id, stage]));
  for (const stage of stages) {
    if (!byId.has(stage.id))
      throw new ActionRefused("A stage on the form no longer exists. Reload the page.", "conflict");
  }
  // Orders must stay unique across every stage, including those not on the form.
  const finalOrder = new Map(existing.map((stage) => [stage.id, stage.order]));
  for (const stage of stages) finalOrder.set(stage.id, stage.order);
  const orders = [...finalOrder.values()];
  if (new Set(orders).size !== orders.length) {
    throw new ActionRefused(
      "Two stages would share the same place in the pipeline. Give each its own order.",
      "invalid",
    );
  }

  const changes = stages.filter((stage) => {
    const before = byId.get(stage.id);
    return (
      before &&
      (before.order !== stage.order ||
        before.probability !== stage.probability ||
        before.early !== stage.early ||
        before.maxDaysInStage !== stage.maxDaysInStage)
    );
  });
  if (changes.length === 0) return { changed: 0 };

  // Moving orders in two steps: out of the way (negative), then into place,
  // so swapping two stages does not trip the unique order.
  const moving = changes.filter((stage) => byId.get(stage.id)?.order !== stage.order);
  for (const stage of moving) {
    await tx.stage.update({ where: { id: stage.id }, data: { order: -stage.id } });
  }
  for (const stage of changes) {
    await tx.stage.update({
      where: { id: stage.id },
      data: {
        order: stage.order,
        probability: stage.probability,
        early: stage.early,
        maxDaysInStage: stage.maxDaysInStage,
      },
    });
  }
  await recordAudits(
    tx,
    changes.map((stage): AuditInput => {
      const before = byId.get(stage.id);
      return {
        actorId: ctx.actor.userId,
        action: "stage.update",
        entityType: "stage",
        entityId: stage.id,
        before: before
          ? {
              name: before.name,
              order: before.order,
              probability: before.probability,
              early: before.early,
              maxDaysInStage: before.maxDaysInStage,
            }
          : null,
        after: {
          name: before?.name ?? null,
          order: stage.order,
          probability: stage.probability,
          early: stage.early,
          maxDaysInStage: stage.maxDaysInStage,
        },
        at: ctx.now,
      };
    }),
  );
  // A stage's probability weighs every open deal in it: every rep's weighted value (lib/figures).
  if (changes.some((stage) => byId.get(stage.id)?.probability !== stage.probability)) {
    await refreshRepFigures(tx, "everyone");
  }
  return { changed: changes.length };
}

export async function saveQuotas(
  tx: DbClient,
  ctx: SettingsChangeContext,
  input: QuotasInput,
): Promise<{ saved: number; removed: number }> {
  assertRole(ctx.actor, QUOTA_EDITORS, "set quotas");
  const userIds = input.quotas.map((quota) => quota.userId);
  const allowed = await tx.user.findMany({
    where: { AND: [visibleUsersWhere(ctx.actor), { id: { in: userIds } }, { role: "rep" }] },
    select: { id: true, name: true },
  });
  const names = new Map(allowed.map((user) => [user.id, user.name]));
  if (names.size !== new Set(userIds).size) {
    throw new ActionRefused("You can set quotas only for the reps of your own team. Reload the page.", "forbidden");
  }
  const existing = await tx.quota.findMany({
    where: { userId: { in: userIds }, periodStart: input.periodStart },
    select: { id: true, userId: true, periodEnd: true, amount: true },
  });
  const existingByUser = new Map(existing.map((quota) => [quota.userId, quota]));
  const period = { periodStart: dayText(input.periodStart), periodEnd: dayText(input.periodEnd) };

  const audits: AuditInput[] = [];
  let saved = 0;
  let removed = 0;
  for (const quota of input.quotas) {
    const before = existingByUser.get(quota.userId);
    const beforeJson = before
      ? {
          rep: names.get(quota.userId) ?? null,
          ...period,
          periodEnd: dayText(before.periodEnd),
          amount: before.amount.toFixed(2),
        }
      : null;
    if (quota.amount === null) {
      if (!before) continue;
      await tx.quota.delete({ where: { id: before.id } });
      removed += 1;
      audits.push(quotaAudit(ctx, "quota.remove", before.id, beforeJson, null));
      continue;
    }
    const amount = new Prisma.Decimal(quota.amount);
    if (before?.amount.equals(amount) && before.periodEnd.getTime() === input.periodEnd.getTime()) continue;
    const row = await tx.quota.upsert({
      where: { userId_periodStart: { userId: quota.userId, periodStart: input.periodStart } },
      create: { userId: quota.userId, periodStart: input.periodStart, periodEnd: input.periodEnd, amount },
      update: { periodEnd: input.periodEnd, amount },
      select: { id: true },
    });
    saved += 1;
    audits.push(
      quotaAudit(ctx, before ? "quota.update" : "quota.create", row.id, beforeJson, {
        rep: names.get(quota.userId) ?? null,
        ...period,
        amount: amount.toFixed(2),
      }),
    );
  }
  await recordAudits(tx, audits);
  return { saved, removed };
}

function quotaAudit(
  ctx: SettingsChangeContext,
  action: string,
  id: number,
  before: Prisma.InputJsonObject | null,
  after: Prisma.InputJsonObject | null,
): AuditInput {
  return { actorId: ctx.actor.userId, action, entityType: "quota", entityId: id, before, after, at: ctx.now };
}

/**
 * Fixes the date every screen and review uses (after importing a historical
 * export), or clears it to use today. A fixed day counts whole: it is stored as
 * the last instant of that UTC day, as `npm run review -- --as-of` does.
 */
export async function setFixedAsOf(
  tx: DbClient,
  ctx: SettingsChangeContext,
  day: Date | null,
): Promise<{ asOf: Date | null }> {
  assertRole(ctx.actor, ORGANISATION_EDITORS, "change the organisation's as-of date");
  if (day && day.getTime() > ctx.now.getTime()) {
    throw new ActionRefused("The as-of date cannot be in the future: pick today or an earlier day.", "invalid");
  }
  const row = await tx.orgSettings.findUnique({ where: { id: 1 }, select: { asOf: true } });
  const asOf = day ? new Date(day.getTime() + 86_400_000 - 1) : null;
  if ((row?.asOf?.getTime() ?? null) === (asOf?.getTime() ?? null)) return { asOf };
  await tx.orgSettings.upsert({ where: { id: 1 }, create: { id: 1, asOf }, update: { asOf } });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: asOf ? "settings.as-of.fix" : "settings.as-of.clear",
    entityType: "settings",
    entityId: 1,
    before: { asOf: row?.asOf?.toISOString() ?? null },
    after: { asOf: asOf?.toISOString() ?? null },
    at: ctx.now,
  });
  return { asOf };
}

const dayText = (date: Date) => date.toISOString().slice(0, 10);
