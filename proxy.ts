// Runs before every page and server action (not the auth endpoints, the
// import uploads or static files):
// - refuses a body larger than the app's one request limit with a clear 413,
//   before Next.js buffers it (lib/request-size.mjs, agreed with next.config.js);
// - sends signed-out visitors to the sign-in page. Only a quick look for the
//   session cookie: the real check (a valid session of an active person)
//   happens in getViewer() on every page and server action.
import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";
import { REQUEST_BODY_LIMIT_BYTES, REQUEST_BODY_LIMIT_TEXT } from "@/lib/request-size.mjs";

export function proxy(request: NextRequest) {
  const declaredSize = Number(request.headers.get("content-length") ?? 0);
  if (declaredSize > REQUEST_BODY_LIMIT_BYTES) {
    return new NextResponse(
      `This request is larger than ${REQUEST_BODY_LIMIT_TEXT}, the most a form or action may send. ` +
        "CSV files go through the Import page, which takes files of any size.\n",
      { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
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
  // whole request body in memory up to the limit above, which would break
  // streaming a large CSV export. The icons and the web manifest are public.
  matcher: [
    "/((?!sign-in|api/auth|api/import|_next/static|_next/image|favicon.ico|apple-touch-icon.png|icon-192.png|icon-512.png|manifest.webmanifest|robots.txt).*)",
  ],
};
