// The viewer from the signed-in session (better-auth). A session of a person
// who has since been deactivated counts as signed out.
//
// Every page and action asks this, often twice per page (its metadata and
// the page itself), so the answer is kept:
// - once per request (React's cache), and
// - per process under the request's cookies AND the database's data version
//   (lib/page-cache): signing out deletes the session row, deactivating a
//   person or changing their role or team writes their row, and every write
//   changes the version, so the next request looks the session up again.
//   An entry also ends with the session's own expiry, and after at most a
//   minute (the page cache's MAX_AGE_MS).
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { cachedPageData } from "@/lib/page-cache/page-cache";
import { dataVersionOfThisRequest } from "@/lib/page-cache/request";
import { getAuth } from "./auth";
import type { Viewer } from "./viewer";

interface SessionLookup {
  viewer: Viewer | null;
  /** Epoch ms; the session is not valid past it. */
  expiresAt: number;
}

/** One round trip: better-auth reads the session with its person, whose role, team and active flag it carries. */
async function lookUpSession(requestHeaders: Headers): Promise<SessionLookup> {
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session?.user.active) return { viewer: null, expiresAt: Number.POSITIVE_INFINITY };
  const { user } = session;
  return {
    viewer: { userId: user.id, name: user.name, role: user.role as Viewer["role"], teamId: user.teamId ?? null },
    expiresAt: new Date(session.session.expiresAt).getTime(),
  };
}

export const getSessionViewer = cache(async (): Promise<Viewer | null> => {
  const requestHeaders = await headers();
  const cookies = requestHeaders.get("cookie");
  if (!cookies) return null;
  const version = await dataVersionOfThisRequest();
  const found = await cachedPageData(`session\u0000${cookies}`, version, () => lookUpSession(requestHeaders));
  return found.expiresAt > Date.now() ? found.viewer : null;
});
