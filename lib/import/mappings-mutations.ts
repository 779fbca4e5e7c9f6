// Writes of the saved import mappings: save a new one, replace one (its
// content, and its name if changed), rename one. A saved mapping is a
// setting, not history — it is replaced, never deleted — and every save is
// in the audit trail with before → after. Administrators only. Runs inside
// the caller's transaction; never reads the session.
import { ActionRefused, FieldRefused } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit/mutations";
import { assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import type { DbClient } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RenameMappingInput, SaveMappingInput } from "./schema";

export interface MappingChangeContext {
  actor: Viewer;
  now: Date;
}

const ADMINS: Viewer["role"][] = ["admin"];

function nameTaken(name: string): FieldRefused {
  return new FieldRefused(
    "name",
    `A saved mapping is already called “${name}”. Choose another name, or choose to replace that mapping.`,
    "conflict",
  );
}

/** The database's unique index (name, regardless of case) caught a save that raced another. */
export function isMappingNameViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function sameName(tx: DbClient, name: string, exceptId?: number) {
  return tx.importMapping.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
}

/** Saves a new mapping, or replaces `replaceId`'s content (and name). */
export async function saveImportMapping(
  tx: DbClient,
  ctx: MappingChangeContext,
  input: SaveMappingInput,
): Promise<{ id: number; name: string; replaced: boolean }> {
  assertRole(ctx.actor, ADMINS, "save import mappings");
  const content = input.mapping as Prisma.InputJsonObject;
  const clash = await sameName(tx, input.name, input.replaceId);
  if (clash) throw nameTaken(clash.name);

  if (input.replaceId === undefined) {
    const created = await tx.importMapping.create({
      data: {
        name: input.name,
        kind: input.mapping.kind,
        preset: input.mapping.preset,
        mapping: content,
        createdById: ctx.actor.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      },
      select: { id: true, name: true },
    });
    await recordAudit(tx, {
      actorId: ctx.actor.userId,
      action: "settings.import_mapping.create",
      entityType: "settings",
      entityId: `import-mapping:${created.id}`,
      after: { name: created.name, mapping: content },
      at: ctx.now,
    });
    return { ...created, replaced: false };
  }

  const existing = await tx.importMapping.findUnique({
    where: { id: input.replaceId },
    select: { id: true, name: true, mapping: true },
  });
  if (!existing) {
    throw new ActionRefused(
      "The saved mapping you chose to replace no longer exists. Reload the page and save again.",
      "not_found",
    );
  }
  const updated = await tx.importMapping.update({
    where: { id: existing.id },
    data: {
      name: input.name,
      kind: input.mapping.kind,
      preset: input.mapping.preset,
      mapping: content,
      updatedAt: ctx.now,
    },
    select: { id: true, name: true },
  });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "settings.import_mapping.replace",
    entityType: "settings",
    entityId: `import-mapping:${existing.id}`,
    before: { name: existing.name, mapping: existing.mapping as Prisma.InputJsonValue },
    after: { name: updated.name, mapping: content },
    at: ctx.now,
  });
  return { ...updated, replaced: true };
}

export async function renameImportMapping(
  tx: DbClient,
  ctx: MappingChangeContext,
  input: RenameMappingInput,
): Promise<{ id: number; name: string; changed: boolean }> {
  assertRole(ctx.actor, ADMINS, "rename import mappings");
  const existing = await tx.importMapping.findUnique({ where: { id: input.id }, select: { id: true, name: true } });
  if (!existing) {
    throw new ActionRefused("That saved mapping no longer exists. Reload the page.", "not_found");
  }
  if (existing.name === input.name) return { id: existing.id, name: existing.name, changed: false };
  const clash = await sameName(tx, input.name, existing.id);
  if (clash) throw nameTaken(clash.name);
  await tx.importMapping.update({ where: { id: existing.id }, data: { name: input.name, updatedAt: ctx.now } });
  await recordAudit(tx, {
    actorId: ctx.actor.userId,
    action: "settings.import_mapping.rename",
    entityType: "settings",
    entityId: `import-mapping:${existing.id}`,
    before: { name: existing.name },
    after: { name: input.name },
    at: ctx.now,
  });
  return { id: existing.id, name: input.name, changed: true };
}
