// Who is looking. Every read and every action takes a Viewer and limits itself
// to what the viewer may see: admins everything, managers their team, reps
// their own deals.
//
// Until sign-in exists, the viewer is the organisation's first manager (by
// team name). This function is the only place that decides it; sign-in will
// replace its body with the session's user.
import "server-only";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

export interface Viewer {
  userId: string;
  name: string;
  role: Role;
  teamId: string | null;
}

export class NoViewerError extends Error {
  constructor() {
    super("There is no manager in the database yet. Load the demo data (npm run db:seed) or import your team.");
  }
}

export async function getViewer(): Promise<Viewer> {
  const manager = await db.user.findFirst({
    where: { role: "manager", active: true, managedTeam: { isNot: null } },
    orderBy: [{ managedTeam: { name: "asc" } }, { name: "asc" }],
    select: { id: true, name: true, role: true, teamId: true },
  });
  if (!manager) throw new NoViewerError();
  return { userId: manager.id, name: manager.name, role: manager.role, teamId: manager.teamId };
}
