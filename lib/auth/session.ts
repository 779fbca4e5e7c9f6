// The viewer from the signed-in session (better-auth). A session of a person
// who has since been deactivated counts as signed out.
import "server-only";
import { headers } from "next/headers";
import { db } from "@/lib/db";
import { getAuth } from "./auth";
import type { Viewer } from "./viewer";

export async function getSessionViewer(): Promise<Viewer | null> {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const user = await db.user.findUnique({
    where: { id: session.user.id },
    select: { id: true, name: true, role: true, teamId: true, active: true },
  });
  if (!user?.active) return null;
  return { userId: user.id, name: user.name, role: user.role, teamId: user.teamId };
}
