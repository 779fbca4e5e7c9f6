// Where Salesforce sends the admin back in the web-server flow
// (lib/sync/salesforce-connect.ts does the work): the connection is saved
// or refused, and the admin lands on the connections page with what happened.
import { type NextRequest, NextResponse } from "next/server";
import { getSessionViewer } from "@/lib/auth/session";
import { SyncRefused } from "@/lib/sync/credentials";
import { CrmRequestError } from "@/lib/sync/http";
import { finishWebSignIn, PENDING_COOKIE } from "@/lib/sync/salesforce-connect";
import { ConnectionKeyError } from "@/lib/sync/secrets";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  // A relative address: the browser resolves it against the host it used (request.url is the
  // server's own view, e.g. localhost where the browser — and its session cookie — said 127.0.0.1).
  const back = new URLSearchParams();
  const viewer = await getSessionViewer();
  if (viewer?.role !== "admin") {
    back.set(
      "salesforce-error",
      "Only a signed-in administrator can connect Salesforce: sign in as one and start again.",
    );
  } else {
    const query = request.nextUrl.searchParams;
    try {
      const tested = await finishWebSignIn(
        {
          code: query.get("code"),
          state: query.get("state"),
          error: query.get("error"),
          error_description: query.get("error_description"),
        },
        request.cookies.get(PENDING_COOKIE)?.value,
        viewer.userId,
      );
      back.set("salesforce", `Salesforce is connected. ${tested}`);
    } catch (error) {
      back.set("salesforce-error", signInFailure(error));
    }
  }
  // 303: the browser follows with a GET, and the one-time sign-in cookie is gone.
  const response = new NextResponse(null, { status: 303, headers: { location: `/settings/connections?${back}` } });
  response.cookies.delete({ name: PENDING_COOKIE, path: "/settings/connections/salesforce" });
  return response;
}

/** The reason to show: ours and Salesforce's are written for the admin; anything else is not shown raw. */
function signInFailure(error: unknown): string {
  if (error instanceof SyncRefused || error instanceof CrmRequestError || error instanceof ConnectionKeyError)
    return error.message;
  console.error("Salesforce sign-in failed", error instanceof Error ? error.message : "unknown error");
  return "Connecting Salesforce failed on our side; nothing was saved. Start again.";
}
