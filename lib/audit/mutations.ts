// Every change by a person (or an import) leaves an AuditEvent: who, what,
// before → after. Written inside the same transaction as the change itself.
import type { DbClient } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: "opportunity" | "settings" | "stage" | "quota" | "user" | "import" | "review" | "team";
  entityId: string | number;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  at?: Date;
}

export async function recordAudit(client: DbClient, event: AuditInput): Promise<void> {
  await client.auditEvent.create({ data: auditRow(event) });
}

export async function recordAudits(client: DbClient, events: AuditInput[]): Promise<void> {
  if (events.length === 0) return;
  await client.auditEvent.createMany({ data: events.map(auditRow) });
}

function auditRow(event: AuditInput): Prisma.AuditEventCreateManyInput {
  return {
    actorId: event.actorId,
    action: event.action,
    entityType: event.entityType,
    entityId: String(event.entityId),
    before: event.before ?? undefined,
    after: event.after ?? undefined,
    at: event.at,
  };
}
