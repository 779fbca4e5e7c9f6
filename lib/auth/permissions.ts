// Who may act on what — one place, used by every mutation before it writes.
// admin: every deal · manager: deals of reps in their team · rep: their own.
import { ActionRefused } from "@/lib/action-result";
import type { DbClient } from "@/lib/db";
import type { Viewer } from "./viewer";

export interface DealOwnership {
  id: number;
  name: string;
  ownerId: string;
  owner: { teamId: string | null };
}

export function canActOnDeal(viewer: Viewer, deal: DealOwnership): boolean {
  switch (viewer.role) {
    case "admin":
      return true;
    case "manager":
      return deal.ownerId === viewer.userId || (viewer.teamId !== null && deal.owner.teamId === viewer.teamId);
    case "rep":
      return deal.ownerId === viewer.userId;
  }
}

/**
 * Loads the deals and refuses the whole request if any is missing or not the
 * viewer's to change — bulk actions are all-or-nothing.
 */
export async function assertCanActOnDeals(client: DbClient, viewer: Viewer, dealIds: number[]): Promise<void> {
  const deals = await client.opportunity.findMany({
    where: { id: { in: dealIds } },
    select: { id: true, name: true, ownerId: true, owner: { select: { teamId: true } } },
  });
  const found = new Map(deals.map((deal) => [deal.id, deal]));
  for (const id of dealIds) {
    const deal = found.get(id);
    if (!deal)
      throw new ActionRefused(
        `Deal #${id} does not exist (it may have been merged away). Reload the page.`,
        "not_found",
      );
    if (!canActOnDeal(viewer, deal)) {
      throw new ActionRefused(
        viewer.role === "rep"
          ? `“${deal.name}” is not your deal, so you cannot change it. Ask its owner or your manager.`
          : `“${deal.name}” belongs to another team, so you cannot change it. Ask that team's manager.`,
        "forbidden",
      );
    }
  }
}

const ROLE_PLURALS: Record<Viewer["role"], string> = { admin: "administrators", manager: "managers", rep: "reps" };

export function assertRole(viewer: Viewer, roles: Viewer["role"][], what: string): void {
  if (!roles.includes(viewer.role)) {
    const who = roles.map((role) => ROLE_PLURALS[role]).join(" and ");
    throw new ActionRefused(`Only ${who} can ${what}. Ask your manager.`, "forbidden");
  }
}
