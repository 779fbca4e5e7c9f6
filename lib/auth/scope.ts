// What a viewer may see, as Prisma filters — the one place that turns a role
// into a scope, so no read forgets it.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Viewer } from "./viewer";

/** Users (reps) whose pipelines the viewer may see. */
export function visibleUsersWhere(viewer: Viewer): Prisma.UserWhereInput {
  switch (viewer.role) {
    case "admin":
      return {};
    case "manager":
      return viewer.teamId ? { teamId: viewer.teamId } : { id: viewer.userId };
    case "rep":
      return { id: viewer.userId };
  }
}

/** Deals the viewer may see: those owned by visible users. */
export function visibleDealsWhere(viewer: Viewer): Prisma.OpportunityWhereInput {
  if (viewer.role === "admin") return {};
  return { owner: visibleUsersWhere(viewer) };
}

/** Teams the viewer may see. */
export function visibleTeamsWhere(viewer: Viewer): Prisma.TeamWhereInput {
  switch (viewer.role) {
    case "admin":
      return {};
    case "manager":
    case "rep":
      return viewer.teamId ? { id: viewer.teamId } : { id: "__none__" };
  }
}
