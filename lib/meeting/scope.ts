// Whose meeting it is: one team (an admin chooses it on /meeting; a manager
// has theirs), the reps without a team, or — for reads that need it, such as
// the manager's brief — everyone the viewer may see. The viewer's own limits
// always apply on top (lib/auth/scope.ts).
import { visibleDealsWhere, visibleUsersWhere } from "@/lib/auth/scope";
import type { Viewer } from "@/lib/auth/viewer";
import type { Prisma } from "@/lib/generated/prisma/client";

/** `teamId` undefined: everyone the viewer sees; a team's id: that team; null: reps without a team. */
export interface MeetingScope {
  teamId?: string | null;
}

export function meetingUsersWhere(viewer: Viewer, scope: MeetingScope): Prisma.UserWhereInput {
  if (scope.teamId === undefined) return visibleUsersWhere(viewer);
  return { AND: [visibleUsersWhere(viewer), { teamId: scope.teamId }] };
}

export function meetingDealsWhere(viewer: Viewer, scope: MeetingScope): Prisma.OpportunityWhereInput {
  if (scope.teamId === undefined) return visibleDealsWhere(viewer);
  return { AND: [visibleDealsWhere(viewer), { owner: { teamId: scope.teamId } }] };
}
