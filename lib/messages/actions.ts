"use server";
// Server actions of the message settings: the admin's organisation and team
// settings and "send me a test" (messages are admin-only, SPEC Permissions),
// and each person's own choices (anyone signed in, for themselves only).
import { revalidatePath } from "next/cache";
import {
  ActionRefused,
  type ActionInput,
  type ActionResult,
  actionInputObject,
  fail,
  invalidInput,
  ok,
} from "@/lib/action-result";
import { getActionViewer, type Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import { getUserEmail } from "./data";
import { saveMessagePreference, saveOrgMessaging, saveTeamMessaging } from "./mutations";
import { orgMessagingSchema, preferenceSchema, teamMessagingSchema, testSendSchema } from "./schema";
import { sendTestMessage } from "./send";

async function adminOnly(): Promise<Viewer> {
  const viewer = await getActionViewer();
  if (viewer.role !== "admin")
    throw new ActionRefused(
      "Only an admin can change message settings. Ask an admin, or change your own on /account.",
      "forbidden",
    );
  return viewer;
}

async function guarded<T>(work: () => Promise<ActionResult<T>>, what: string): Promise<ActionResult<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error(`${what} failed`, error);
    return fail(`${what} failed because of an unexpected error. Nothing was changed; try again.`);
  }
}

export async function saveOrgMessagingAction(_previous: unknown, input: ActionInput): Promise<ActionResult<undefined>> {
  return guarded(async () => {
    const viewer = await adminOnly();
    const parsed = orgMessagingSchema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    await db.$transaction((tx) => saveOrgMessaging(tx, viewer.userId, parsed.data));
    revalidatePath("/settings/messages");
    return ok(
      undefined,
      parsed.data.deliveryEnabled
        ? "Saved. Messages will be sent when due."
        : "Saved. Delivery is off: nothing will be sent.",
    );
  }, "Saving the message settings");
}

export async function saveTeamMessagingAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<undefined>> {
  return guarded(async () => {
    const viewer = await adminOnly();
    const parsed = teamMessagingSchema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    const team = await db.team.findUnique({ where: { id: parsed.data.teamId }, select: { id: true } });
    if (!team) return fail("That team no longer exists. Reload the page.");
    await db.$transaction((tx) => saveTeamMessaging(tx, viewer.userId, parsed.data));
    revalidatePath("/settings/messages");
    return ok(undefined, "Saved the team's meeting day and chat settings.");
  }, "Saving the team's message settings");
}

export async function saveMyMessagePreferenceAction(
  _previous: unknown,
  input: ActionInput,
): Promise<ActionResult<undefined>> {
  return guarded(async () => {
    const viewer = await getActionViewer();
    const parsed = preferenceSchema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    await db.$transaction((tx) => saveMessagePreference(tx, viewer.userId, parsed.data));
    revalidatePath("/account");
    return ok(undefined, "Saved your message choices.");
  }, "Saving your message choices");
}

export async function sendMeATestAction(_previous: unknown, input: ActionInput): Promise<ActionResult<undefined>> {
  return guarded(async () => {
    const viewer = await adminOnly();
    const parsed = testSendSchema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    const email = await getUserEmail(viewer.userId);
    if (!email) return fail("Your account has no email address. Add one on the people screen first.");
    const result = await sendTestMessage({ userId: viewer.userId, name: viewer.name, email }, parsed.data, new Date());
    revalidatePath("/settings/messages");
    return result.ok ? ok(undefined, `Sent a test to ${result.to}.`) : fail(result.message);
  }, "Sending the test");
}
