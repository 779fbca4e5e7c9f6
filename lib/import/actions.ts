"use server";
// Server actions of the import page's saved mappings: check who is asking
// (administrators only), parse with zod, save in one audited transaction,
// refresh the page. The import itself runs through the route handlers
// (lib/import/http.ts), which stream the files instead of buffering them.
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
import { db, type Transaction } from "@/lib/db";
import {
  isMappingNameViolation,
  type MappingChangeContext,
  renameImportMapping,
  saveImportMapping,
} from "./mappings-mutations";
import { renameMappingSchema, saveMappingSchema } from "./schema";

async function runMappingChange<S extends z.ZodType, T>(
  schema: S,
  input: ActionInput,
  what: string,
  change: (tx: Transaction, ctx: MappingChangeContext, parsed: z.output<S>) => Promise<T>,
  message: (result: T) => string,
): Promise<ActionResult<T>> {
  try {
    const actor = await getActionViewer();
    // The role first: a refused person learns nothing from validation messages.
    assertRole(actor, ["admin"], what);
    const parsed = schema.safeParse(actionInputObject(input));
    if (!parsed.success) return invalidInput(parsed.error);
    const result = await db.$transaction((tx) => change(tx, { actor, now: new Date() }, parsed.data), {
      timeout: 30_000,
      maxWait: 15_000,
    });
    revalidatePath("/import");
    revalidatePath("/audit");
    return ok(result, message(result));
  } catch (error) {
    const refused = refusedResult(error);
    if (refused) return refused;
    if (isMappingNameViolation(error)) {
      const message = "Another saved mapping got this name a moment ago. Choose another name, or replace that one.";
      return fail(message, { name: [message] });
    }
    console.error("Saving an import mapping failed", error);
    return fail("The mapping could not be saved because of an unexpected error. Nothing was changed; try again.");
  }
}

/** Saves the mapping of a file on the page as a new saved mapping, or replaces one. */
export async function saveImportMappingAction(input: ActionInput) {
  return runMappingChange(saveMappingSchema, input, "save import mappings", saveImportMapping, (result) =>
    result.replaced
      ? `Replaced the saved mapping “${result.name}”. Files mapped with it from now on use the new columns.`
      : `Saved as “${result.name}”. Choose it for the next export of this kind, or download it for npm run import.`,
  );
}

export async function renameImportMappingAction(_previous: unknown, input: ActionInput) {
  return runMappingChange(renameMappingSchema, input, "rename import mappings", renameImportMapping, (result) =>
    result.changed ? `Renamed to “${result.name}”.` : "Nothing changed: it already has that name.",
  );
}
