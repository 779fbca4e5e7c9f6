// The decisions a meeting counts and lists ("3 decided so far", the last
// screens): those recorded against the meeting's review in meeting mode, and
// those taken anywhere else since that review ran — on a deal's page, by
// whoever took them (issue 12: the meeting's period, not only its screens).
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { type MeetingScope, meetingDealsWhere } from "./scope";
import type { MeetingDecision } from "./types";

/** Decisions on deals in the meeting's scope during its period, in the order they were taken. */
export async function getMeetingDecisions(
  viewer: Viewer,
  review: { id: number; at: Date },
  scope: MeetingScope = {},
  client: DbClient = db,
): Promise<MeetingDecision[]> {
  const decisions = await client.decision.findMany({
    where: {
      AND: [
        { OR: [{ reviewId: review.id }, { at: { gte: review.at } }] },
        { opportunity: meetingDealsWhere(viewer, scope) },
      ],
    },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: {
      id: true,
      at: true,
      action: true,
      reason: true,
      details: true,
      byId: true,
      reviewId: true,
      opportunity: {
        select: {
          id: true,
          name: true,
          amount: true,
          currency: true,
          account: { select: { name: true } },
          owner: { select: { name: true } },
        },
      },
    },
  });
  const byIds = [...new Set(decisions.map((decision) => decision.byId).filter((id): id is string => id !== null))];
  const people = byIds.length
    ? await client.user.findMany({ where: { id: { in: byIds } }, select: { id: true, name: true } })
    : [];
  const nameById = new Map(people.map((person) => [person.id, person.name]));
  return decisions.map((decision) => ({
    id: decision.id,
    at: decision.at,
    action: decision.action,
    reason: decision.reason,
    details:
      decision.details && typeof decision.details === "object" && !Array.isArray(decision.details)
        ? (decision.details as Record<string, unknown>)
        : null,
    deal: {
      id: decision.opportunity.id,
      name: decision.opportunity.name,
      accountName: decision.opportunity.account?.name ?? null,
      ownerName: decision.opportunity.owner.name,
      amount: decision.opportunity.amount,
      currency: decision.opportunity.currency,
    },
    byName: decision.byId ? (nameById.get(decision.byId) ?? null) : null,
    inMeeting: decision.reviewId === review.id,
  }));
}
