// What the settings forms accept: rule thresholds, stages, quotas and the
// organisation's fixed "as of" date. Shared by the forms (field names,
// messages) and the server actions (FormData or plain objects).
import { z } from "zod";
import { calendarDay } from "@/lib/deals/schema";
import { ruleSettingsSchema, teamOverridesSchema } from "@/lib/rules/settings";

/** Numbers typed into inputs arrive as strings; the rule schema wants numbers. */
function numbersFromStrings(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const trimmed = typeof field === "string" ? field.trim() : field;
    out[key] =
      key !== "cycleStatistic" && typeof trimmed === "string" && trimmed !== "" && Number.isFinite(Number(trimmed))
        ? Number(trimmed)
        : trimmed === ""
          ? undefined
          : trimmed;
  }
  return out;
}

/**
 * Every rule threshold, strictly validated (lib/rules/settings.ts), from a form.
 * A field left empty takes its default; a field that is not a number is an error.
 */
export const ruleSettingsInputSchema = z.preprocess(numbersFromStrings, ruleSettingsSchema);

/**
 * A team's threshold overrides from its form: a field left empty means "use the
 * organisation default"; a threshold a team cannot set is refused by name.
 */
export const teamOverridesInputSchema = z.object({
  teamId: z.string({ error: "Pick a team." }).min(1, "Pick a team."),
  overrides: z.preprocess(numbersFromStrings, teamOverridesSchema),
});

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label}: give a whole number.` })
    .int(`${label}: give a whole number.`)
    .min(min, `${label}: at least ${min}.`)
    .max(max, `${label}: at most ${max}.`);

const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const stageInputSchema = z.object({
  id: z.coerce.number().int().positive(),
  order: wholeNumber("Order", 1, 99),
  probability: wholeNumber("Win probability", 0, 100),
  early: checkbox,
  maxDaysInStage: z.preprocess(
    (value) => (value === "" || value === null || value === undefined ? null : value),
    wholeNumber("Max days in stage", 1, 3650).nullable(),
  ),
});

export type StageInput = z.output<typeof stageInputSchema>;

export const stagesInputSchema = z
  .object({ stages: z.array(stageInputSchema).min(1, "There must be at least one stage.") })
  .superRefine((value, ctx) => {
    const seen = new Map<number, number>();
    value.stages.forEach((stage, index) => {
      const other = seen.get(stage.order);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["stages", index, "order"],
          message: `Order ${stage.order} is used twice: give each stage its own place in the pipeline.`,
        });
      }
      seen.set(stage.order, index);
    });
  });

/** FormData of the stages form: stage-<id>-order, stage-<id>-probability, stage-<id>-early, stage-<id>-maxDaysInStage. */
export function stagesFromForm(form: FormData): unknown {
  const byId = new Map<string, Record<string, unknown>>();
  for (const [name, value] of form.entries()) {
    const match = /^stage-(\d+)-(order|probability|early|maxDaysInStage)$/.exec(name);
    if (!match) continue;
    const [, id, field] = match as unknown as [string, string, string];
    const stage = byId.get(id) ?? { id, early: false };
    stage[field] = value;
    byId.set(id, stage);
  }
  return { stages: [...byId.values()] };
}

const amount = z.preprocess(
  (value) => (typeof value === "string" ? value.replace(/[\s,$€£]/g, "") : value),
  z
    .union([
      z.literal("").transform(() => null),
      z.null(),
      z
        .string()
        .regex(/^\d{1,12}(\.\d{1,2})?$/, "Give the quota as a number, like 250000 or 250000.50 (no negative amounts)."),
      z
        .number()
        .nonnegative("A quota cannot be negative.")
        .transform((n) => n.toFixed(2)),
    ])
    .optional()
    .transform((value) => value ?? null),
);

export const quotasInputSchema = z
  .object({
    periodStart: calendarDay,
    periodEnd: calendarDay,
    /** One per rep; an empty amount means "no quota for this period". */
    quotas: z.array(z.object({ userId: z.string().min(1), amount })),
  })
  .superRefine((value, ctx) => {
    if (value.periodEnd.getTime() < value.periodStart.getTime()) {
      ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "The period must end on or after its first day." });
    }
  });

export type QuotasInput = z.output<typeof quotasInputSchema>;

/** FormData of the quotas form: periodStart, periodEnd, quota-<userId>. */
export function quotasFromForm(form: FormData): unknown {
  const quotas: { userId: string; amount: FormDataEntryValue }[] = [];
  for (const [name, value] of form.entries()) {
    if (name.startsWith("quota-")) quotas.push({ userId: name.slice("quota-".length), amount: value });
  }
  return { periodStart: form.get("periodStart"), periodEnd: form.get("periodEnd"), quotas };
}

/** The organisation's fixed date: a day, or nothing ("use today"). */
export const asOfInputSchema = z.object({
  asOf: z.preprocess((value) => (value === "" || value === undefined ? null : value), calendarDay.nullable()),
});
