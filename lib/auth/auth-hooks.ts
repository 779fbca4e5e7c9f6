// better-auth's hooks: what the auth layer refuses beyond a wrong password.
//
// - Only the endpoints the app uses answer. A person's name, email and role
//   change only through the admin's people screen (audited), and passwords are
//   set there too, so /update-user, /change-email, /change-password and the
//   rest are refused for everyone.
// - A deactivated person gets exactly the wrong-password answer, whatever
//   they type, so the answer does not confirm their password.
// - Wrong passwords are counted per account (./failed-sign-ins.ts); past the
//   limit the account is refused with 429 until the window ends.
import "server-only";
import { APIError, BASE_ERROR_CODES } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { db } from "@/lib/db";
import { accountLockedFor, clearFailedSignIns, recordFailedSignIn } from "./failed-sign-ins";

/** The endpoints the sign-in page, the sign-out button and the server's session check call. */
const ANSWERED_PATHS = new Set(["/sign-in/email", "/sign-out", "/get-session", "/ok", "/error"]);

const SIGN_IN = "/sign-in/email";

function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email : null;
}

export const beforeAuthRequest = createAuthMiddleware(async (ctx) => {
  if (!ANSWERED_PATHS.has(ctx.path)) {
    throw APIError.from("FORBIDDEN", {
      code: "NOT_OFFERED",
      message:
        "Not available here: names, email addresses, roles and passwords are changed by an administrator on the People page.",
    });
  }
  if (ctx.path !== SIGN_IN) return;
  const email = emailOf(ctx.body);
  if (!email) return;
  const wait = await accountLockedFor(email);
  if (wait !== null) {
    throw new APIError(
      "TOO_MANY_REQUESTS",
      {
        code: "TOO_MANY_FAILED_SIGN_INS",
        message: `Too many wrong passwords for this account. Try again in ${Math.ceil(wait / 60)} minutes, or ask an administrator to set a new password.`,
      },
      { "X-Retry-After": String(wait) },
    );
  }
  const person = await db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { active: true } });
  if (person && !person.active) {
    // Hash what was typed as a real check would, so the time taken does not tell either.
    const password = (ctx.body as { password?: unknown }).password;
    await ctx.context.password.hash(typeof password === "string" ? password : "");
    await recordFailedSignIn(email);
    throw APIError.from("UNAUTHORIZED", BASE_ERROR_CODES.INVALID_EMAIL_OR_PASSWORD);
  }
});

export const afterAuthRequest = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== SIGN_IN) return;
  const email = emailOf(ctx.body);
  if (!email) return;
  const returned = ctx.context.returned;
  if (returned instanceof APIError) {
    if (returned.statusCode === 401) await recordFailedSignIn(email);
  } else if (ctx.context.newSession) {
    await clearFailedSignIns(email);
  }
});

/** A second lock behind the sign-in check: no session is ever created for a deactivated person. */
export async function refuseSessionsOfDeactivatedPeople(session: { userId: string }): Promise<boolean> {
  const person = await db.user.findUnique({ where: { id: session.userId }, select: { active: true } });
  return person?.active === true;
}
