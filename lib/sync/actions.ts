"use server";
// The connections page's actions, admins only: save a CRM's credentials
// (encrypted; never sent back), test them by reading one deal, start a sync,
// disconnect. A sync started here runs on after the click; the page shows its
// progress from the run's record (pages written so far).
import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import {
  ActionRefused,
  type ActionInput,
  type ActionResult,
  actionInputObject,
  fail,
  invalidInput,
  ok,
} from "@/lib/action-result";
import { assertRole } from "@/lib/auth/permissions";
import { getActionViewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { type Credentials, readerFor, SyncRefused } from "./credentials";
import { getConnectionRow } from "./data";
import { disconnect, saveConnection } from "./mutations";
import { CRM_LABELS } from "./records";
import { runSync } from "./run";
import { beginWebSignIn, PENDING_COOKIE, PENDING_MAX_AGE_S } from "./salesforce-connect";
import { crmSchema, salesforceSignInSchema, saveConnectionSchema } from "./schema";
import { ConnectionKeyError, decryptSecret, encryptSecret } from "./secrets";

const PAGE = "/settings/connections";

async function admin() {
  const viewer = await getActionViewer();
  assertRole(viewer, ["admin"], "connect a CRM");
  return viewer;
}

function refused(error: unknown): ActionResult<never> {
  if (error instanceof ActionRefused || error instanceof SyncRefused || error instanceof ConnectionKeyError)
    return fail(error.message);
  if (error instanceof Error && "status" in error) return fail(error.message);
  console.error("Connection action failed", error instanceof Error ? error.message : "unknown error");
  return fail("Something went wrong on our side; nothing was changed. Try again.");
}

function credentialsOf(input: ReturnType<typeof saveConnectionSchema.parse>): Credentials {
  return input.crm === "salesforce"
    ? {
        crm: input.crm,
        origin: "page",
        secret: input.secret,
        settings: { flow: "jwt", clientId: input.clientId, username: input.username, loginUrl: input.loginUrl },
      }
    : { crm: input.crm, origin: "page", secret: input.secret, settings: {} };
}

/** Saves the credentials after reading one deal with them: a wrong token is refused, not stored. */
export async function saveConnectionAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<{ message: string }>> {
  const parsed = saveConnectionSchema.safeParse(actionInputObject(input));
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const viewer = await admin();
    const credentials = credentialsOf(parsed.data);
    const tested = await readerFor(credentials).testConnection();
    const encryptedSecret = encryptSecret(parsed.data.secret);
    await db.$transaction((tx) =>
      saveConnection(tx, {
        crm: parsed.data.crm,
        encryptedSecret,
        settings: credentials.settings,
        actorId: viewer.userId,
        resetCursor: parsed.data.resetCursor,
      }),
    );
    revalidatePath(PAGE);
    return ok({ message: tested }, `${CRM_LABELS[parsed.data.crm]} is connected. ${tested}`);
  } catch (error) {
    return refused(error);
  }
}

/** Reads one deal with the saved credentials. */
export async function testConnectionAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<{ message: string }>> {
  const crm = crmSchema.safeParse(actionInputObject(input).crm);
  if (!crm.success) return invalidInput(crm.error);
  try {
    await admin();
    const row = await getConnectionRow(crm.data);
    if (!row?.secret) return fail(`${CRM_LABELS[crm.data]} is not connected yet: save its credentials first.`);
    const message = await readerFor({
      crm: crm.data,
      origin: "page",
      secret: decryptSecret(row.secret),
      settings: (row.settings ?? {}) as Credentials["settings"],
    }).testConnection();
    return ok({ message }, message);
  } catch (error) {
    return refused(error);
  }
}

/** Starts a sync; it runs on after the answer (the page shows its progress and outcome). */
export async function syncNowAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<{ message: string }>> {
  const crm = crmSchema.safeParse(actionInputObject(input).crm);
  if (!crm.success) return invalidInput(crm.error);
  try {
    const viewer = await admin();
    const label = CRM_LABELS[crm.data];
    let refusal: string | null = null;
    const running = runSync(crm.data, { via: "page", actorId: viewer.userId }).catch((error) => {
      refusal =
        error instanceof SyncRefused ? error.message : "The sync could not start because of an unexpected error.";
      if (!(error instanceof SyncRefused))
        console.error("Sync failed to start", error instanceof Error ? error.message : "");
    });
    // A refusal (no credentials, a sync already running) comes back at once; a started sync keeps going.
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 1500))]);
    revalidatePath(PAGE);
    if (refusal) return fail(refusal);
    return ok(
      { message: "started" },
      `${label} sync started: its progress and counts show below — refresh to follow it.`,
    );
  } catch (error) {
    return refused(error);
  }
}

/** Forgets the saved secret; runs and the cursor stay as history. */
export async function disconnectAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<{ message: string }>> {
  const crm = crmSchema.safeParse(actionInputObject(input).crm);
  if (!crm.success) return invalidInput(crm.error);
  try {
    const viewer = await admin();
    await db.$transaction((tx) => disconnect(tx, crm.data, viewer.userId));
    revalidatePath(PAGE);
    return ok(
      { message: "disconnected" },
      `${CRM_LABELS[crm.data]} is disconnected: its secret is forgotten. Past runs stay listed.`,
    );
  } catch (error) {
    return refused(error);
  }
}

/** The app's own address, for Salesforce's callback: configured, else the request's. */
async function appOrigin(): Promise<string> {
  const configured = process.env.BETTER_AUTH_URL?.trim() || process.env.APP_URL?.trim();
  if (configured) return configured;
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host") ?? "localhost:3000";
  const proto = request.get("x-forwarded-proto") ?? (host.startsWith("localhost") ? "http" : "https");
  return `${proto}://${host}`;
}

/**
 * Starts the web-server flow: remembers the consumer key and secret in an
 * encrypted, httpOnly cookie and answers the Salesforce address the browser
 * goes to next; Salesforce sends the admin back to the callback route.
 */
export async function startSalesforceSignInAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<{ url: string }>> {
  const parsed = salesforceSignInSchema.safeParse(actionInputObject(input));
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    await admin();
    const origin = await appOrigin();
    const { url, cookie } = beginWebSignIn(
      { ...parsed.data, loginUrl: parsed.data.loginUrl || process.env.SALESFORCE_LOGIN_URL?.trim() || undefined },
      origin,
    );
    (await cookies()).set(PENDING_COOKIE, cookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: origin.startsWith("https:"),
      path: "/settings/connections/salesforce",
      maxAge: PENDING_MAX_AGE_S,
    });
    return ok({ url }, "Opening Salesforce: sign in there and allow the app; you will come back here.");
  } catch (error) {
    return refused(error);
  }
}
