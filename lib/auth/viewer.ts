// Who is looking: the signed-in person (better-auth session), as a Viewer.
// Every read and every action takes a Viewer and limits itself to what the
// viewer may see: admins everything, managers their team, reps their own deals.
//
// Pages call getViewer(): signed out → the sign-in page. Server actions call
// getActionViewer(): signed out → a refusal message (an action cannot redirect
// a form halfway through).
import "server-only";
import { redirect } from "next/navigation";
import { ActionRefused } from "@/lib/action-result";
import type { Role } from "@/lib/generated/prisma/enums";
import { getSessionViewer } from "./session";

export interface Viewer {
  userId: string;
  name: string;
  role: Role;
  teamId: string | null;
}

/** Kept for pages that show a "no organisation yet" state; sign-in now covers it. */
export class NoViewerError extends Error {
  constructor() {
    super("Nobody is signed in.");
  }
}

export async function getViewer(): Promise<Viewer> {
  const viewer = await getSessionViewer();
  if (!viewer) redirect("/sign-in");
  return viewer;
}

export async function getActionViewer(): Promise<Viewer> {
  const viewer = await getSessionViewer();
  if (!viewer)
    throw new ActionRefused(
      "You are signed out (or your account was deactivated). Sign in again, then retry.",
      "forbidden",
    );
  return viewer;
}
