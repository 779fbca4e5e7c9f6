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
 * The one answer for a deal that does not exist and a deal the viewer may not
 * change: it names nothing and says the same in both cases, so nobody can
 * learn another team's deal names (or which ids exist) by asking.
 */
export const DEAL_NOT_AVAILABLE =
  "This deal does not exist or is not yours to change. Reload the page; if you think it should be yours, ask your manager.";

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
    if (!deal || !canActOnDeal(viewer, deal)) throw new ActionRefused(DEAL_NOT_AVAILABLE, "not_found");
  }
}

const ROLE_PLURALS: Record<Viewer["role"], string> = { admin: "administrators", manager: "managers", rep: "reps" };

export function assertRole(viewer: Viewer, roles: Viewer["role"][], what: string): void {
  if (!roles.includes(viewer.role)) {
    const who = roles.map((role) => ROLE_PLURALS[role]).join(" and ");
    throw new ActionRefused(`Only ${who} can ${what}. Ask your manager.`, "forbidden");
  }
}
