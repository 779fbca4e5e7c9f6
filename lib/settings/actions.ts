"use server";
// Server actions of the settings screen: check who is asking, parse with zod,
// write in one transaction (audited), refresh every page — thresholds, stages
// and the as-of date change what every screen shows. The live preview is a
// read: it runs the engine with candidate settings and stores nothing.
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { ActionRefused, type ActionResult, fail, invalidInput, ok } from "@/lib/action-result";
import { getActionViewer } from "@/lib/auth/viewer";
import { db, type Transaction } from "@/lib/db";
import { formatDate } from "@/lib/format";
import { theTeam } from "@/lib/rules/wording";
import { type RulePreview, previewRuleSettings, previewTeamThresholds } from "./data";
import {
  type SettingsChangeContext,
  saveQuotas,
  saveRuleSettings,
  saveStages,
  saveTeamRuleOverrides,
  setFixedAsOf,
} from "./mutations";
import {
  asOfInputSchema,
  quotasFromForm,
  quotasInputSchema,
  ruleSettingsInputSchema,
  stagesFromForm,
  stagesInputSchema,
  teamOverridesInputSchema,
} from "./schema";

const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 15_000 };

async function runSettingsChange<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  change: (tx: Transaction, ctx: SettingsChangeContext, parsed: z.output<S>) => Promise<T>,
  message: (result: T) => string,
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const ctx: SettingsChangeContext = { actor: await getActionViewer(), now: new Date() };
    const result = await db.$transaction((tx) => change(tx, ctx, parsed.data), TRANSACTION_OPTIONS);
    revalidatePath("/", "layout");
    return ok(result, message(result));
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Saving settings failed", error);
    return fail("The settings could not be saved because of an unexpected error. Nothing was changed; try again.");
  }
}

/** Counts what candidate rule settings would flag, next to the saved settings. Writes nothing. */
export async function previewRuleSettingsAction(settings: unknown): Promise<ActionResult<RulePreview>> {
  const parsed = ruleSettingsInputSchema.safeParse(settings);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return ok(await previewRuleSettings(await getActionViewer(), parsed.data));
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Rule settings preview failed", error);
    return fail("The preview could not be computed because of an unexpected error. Change a value to try again.");
  }
}

export async function saveRuleSettingsAction(settings: unknown) {
  return runSettingsChange(ruleSettingsInputSchema, settings, saveRuleSettings, ({ changed }) =>
    changed.length === 0
      ? "Nothing changed: these are already the saved settings."
      : `Saved ${changed.length} ${changed.length === 1 ? "threshold" : "thresholds"}. The next review uses them; run one to update the flags.`,
  );
}

/** Counts what a team's candidate overrides would flag on its deals, next to its saved ones. Writes nothing. */
export async function previewTeamThresholdsAction(
  input: unknown,
): Promise<ActionResult<Awaited<ReturnType<typeof previewTeamThresholds>>>> {
  const parsed = teamOverridesInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return ok(await previewTeamThresholds(await getActionViewer(), parsed.data.teamId, parsed.data.overrides));
  } catch (error) {
    if (error instanceof ActionRefused) return fail(error.message);
    console.error("Team thresholds preview failed", error);
    return fail("The preview could not be computed because of an unexpected error. Change a value to try again.");
  }
}

/** Saves a team's overrides (its manager or an admin); an empty field goes back to the organisation default. */
export async function saveTeamThresholdsAction(input: unknown) {
  return runSettingsChange(teamOverridesInputSchema, input, saveTeamRuleOverrides, ({ changed, teamName }) =>
    changed.length === 0
      ? "Nothing changed: these are already the team's saved thresholds."
      : `Saved ${changed.length} ${changed.length === 1 ? "threshold" : "thresholds"} for ${theTeam(teamName)}. The next review uses them; run one to update the flags.`,
  );
}

export async function saveStagesAction(_previous: unknown, form: FormData) {
  return runSettingsChange(
    stagesInputSchema,
    stagesFromForm(form),
    (tx, ctx, parsed) => saveStages(tx, ctx, parsed.stages),
    ({ changed }) =>
      changed === 0
        ? "Nothing changed."
        : `Saved ${changed} ${changed === 1 ? "stage" : "stages"}. Weighted pipeline and time-in-stage limits use them now; run a review to update the flags.`,
  );
}

export async function saveQuotasAction(_previous: unknown, form: FormData) {
  return runSettingsChange(quotasInputSchema, quotasFromForm(form), saveQuotas, ({ saved, removed }) =>
    saved + removed === 0
      ? "Nothing changed."
      : `Saved ${saved} ${saved === 1 ? "quota" : "quotas"}${removed ? `, removed ${removed}` : ""}.`,
  );
}

export async function setAsOfAction(_previous: unknown, form: FormData) {
  const input = { asOf: form.get("intent") === "clear" ? "" : form.get("asOf") };
  return runSettingsChange(
    asOfInputSchema,
    input,
    (tx, ctx, parsed) => setFixedAsOf(tx, ctx, parsed.asOf),
    ({ asOf }) =>
      asOf
        ? `Every screen and review now reads the data as of ${formatDate(asOf)}.`
        : "Every screen and review now reads the data as of today.",
  );
}
