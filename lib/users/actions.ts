"use server";
// Server actions of the people page: check who is asking (admins only), parse
// with zod, run the mutation (one audited transaction), refresh the pages.
// Refusals come back as ActionResult messages, never thrown to the page; a
// taken email comes back as an error on the email field.
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import {
  type ActionResult,
  fail,
  invalidInput,
  ok,
  type ActionInput,
  actionInputObject,
  refusedResult,
} from "@/lib/action-result";
import { assertRole } from "@/lib/auth/permissions";
import { getActionViewer } from "@/lib/auth/viewer";
import {
  createUser,
  deactivateUser,
  type PeopleChangeContext,
  reactivateUser,
  resetPassword,
  updateUser,
} from "./mutations";
import { createUserSchema, resetPasswordSchema, updateUserSchema, userRefSchema } from "./schema";

async function runPeopleChange<S extends z.ZodType, T>(
  schema: S,
  input: ActionInput,
  what: string,
  change: (ctx: PeopleChangeContext, parsed: z.output<S>) => Promise<T>,
  message: (result: T) => string,
): Promise<ActionResult<T>> {
  try {
    const actor = await getActionViewer();
    // The role first: a refused person learns nothing from validation messages.
    assertRole(actor, ["admin"], what);
    const parsed = schema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    const result = await change({ actor, now: new Date() }, parsed.data);
    revalidatePath("/users", "layout");
    revalidatePath("/audit");
    return ok(result, message(result));
  } catch (error) {
    const refused = refusedResult(error);
    if (refused) return refused;
    console.error("Changing a person failed", error);
    return fail("The change could not be saved because of an unexpected error. Nothing was changed; try again.");
  }
}

export async function createUserAction(_previous: unknown, input: ActionInput) {
  return runPeopleChange(
    createUserSchema,
    input,
    "add people",
    createUser,
    () => "Added. Give them their email address and the password you set: they can sign in now.",
  );
}

export async function updateUserAction(_previous: unknown, input: ActionInput) {
  return runPeopleChange(
    updateUserSchema,
    input,
    "change people's roles and teams",
    updateUser,
    ({ name }) => `Saved. ${name} sees what the new role and team allow from their next page.`,
  );
}

export async function deactivateUserAction(_previous: unknown, input: ActionInput) {
  return runPeopleChange(userRefSchema, input, "deactivate people", deactivateUser, (result) =>
    [
      `${result.name} is deactivated and can no longer sign in`,
      result.sessionsEnded > 0 ? " (signed out now)" : "",
      ". Their deals and history keep their name.",
      result.managed ? ` ${result.managed} has no manager now: make someone else its manager.` : "",
    ].join(""),
  );
}

export async function reactivateUserAction(_previous: unknown, input: ActionInput) {
  return runPeopleChange(userRefSchema, input, "reactivate people", reactivateUser, (result) =>
    result.hasPassword
      ? `${result.name} is active again and can sign in with their password.`
      : `${result.name} is active again. Set a password so they can sign in.`,
  );
}

export async function resetPasswordAction(_previous: unknown, input: ActionInput) {
  return runPeopleChange(resetPasswordSchema, input, "set people's passwords", resetPassword, (result) =>
    [
      `New password set for ${result.name}. Give it to them`,
      result.sessionsEnded > 0 ? "; they were signed out and sign in again with it." : ": they sign in with it.",
    ].join(""),
  );
}
