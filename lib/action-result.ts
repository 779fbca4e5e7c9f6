// The one result type of every server action, so forms handle success and
// failure the same way everywhere.
import type { z } from "zod";

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return { ok: true, data, message };
}

export function fail(message: string, fieldErrors?: Record<string, string[]>): ActionResult<never> {
  return { ok: false, message, fieldErrors };
}

/** What an action takes: a form's FormData, or a plain object from a client component. */
export type ActionInput = FormData | Record<string, unknown>;

/** The input as a plain object for zod (a form's fields by name). */
export function actionInputObject(input: ActionInput): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  const object: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) object[key] = value;
  return object;
}

/** zod's field errors as { field: [messages] }, with one summary sentence. */
export function invalidInput(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  return fail("Some fields need attention: see the messages next to them.", fieldErrors);
}

/**
 * A refusal a person can act on (not allowed, changed by someone else, not
 * possible in this state). Thrown inside mutations so the transaction rolls
 * back; actions turn it into { ok: false, message }.
 */
export class ActionRefused extends Error {
  constructor(
    message: string,
    readonly kind: "forbidden" | "conflict" | "invalid" | "not_found" = "invalid",
  ) {
    super(message);
    this.name = "ActionRefused";
  }
}

/** A refusal about one field of the form (a taken name, a team that no longer exists): shown next to it. */
export class FieldRefused extends ActionRefused {
  constructor(
    readonly field: string,
    message: string,
    kind: ActionRefused["kind"] = "invalid",
  ) {
    super(message, kind);
  }
}

/** A refusal as the action's result (next to its field when it names one); null for any other error. */
export function refusedResult(error: unknown): ActionResult<never> | null {
  if (error instanceof FieldRefused) return fail(error.message, { [error.field]: [error.message] });
  if (error instanceof ActionRefused) return fail(error.message);
  return null;
}
