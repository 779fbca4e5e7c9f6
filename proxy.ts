// Sends signed-out visitors to the sign-in page before any page renders.
// Only a quick look for the session cookie: the real check (a valid session of
// an active person) happens in getViewer() on every page and server action.
import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";

export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (next !== "/") signIn.searchParams.set("next", next);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but sign-in itself, the auth endpoints, the import uploads and
  // static files. The import's route handlers check the session themselves
  // (and answer 401, not a redirect): while a proxy runs, Next.js holds the
  // whole request body in memory and cuts it at 10 MB, which would break
  // streaming a large CSV export. The icons and the web manifest are public.
  matcher: [
    "/((?!sign-in|api/auth|api/import|_next/static|_next/image|favicon.ico|apple-touch-icon.png|icon-192.png|icon-512.png|manifest.webmanifest|robots.txt).*)",
  ],
};
