"use client";
// Every rule threshold, with a live preview: as a value changes, the same
// engine counts what the rules would flag on the current data with these
// settings, next to what they flag with the saved ones — before anything is
// saved. Calls are debounced and a late answer never overwrites a newer one.
// Someone who may not change them (a manager, a rep) reads them as plain text.
import { useCallback, useMemo, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";
import { formatCount, formatDate, formatMoney } from "@/lib/format";
import {
  DEFAULT_RULE_SETTINGS,
  RULE_SETTING_FIELDS,
  type RuleSettingField,
  type RuleSettings,
  ruleSettingsSchema,
} from "@/lib/rules/settings";
import { RULES, type RuleName } from "@/lib/rules/types";
import type { RulePreview, RulePreviewCounts } from "@/lib/settings/data";
import { previewRuleSettingsAction, saveRuleSettingsAction } from "@/lib/settings/actions";
import { FormResult } from "./form-result";
import { numberBounds, ThresholdField } from "./threshold-field";
import { ThresholdList } from "./threshold-list";
import { useLivePreview } from "./use-live-preview";

type Values = Record<keyof RuleSettings, string>;

const toValues = (settings: RuleSettings): Values =>
  Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, String(value)])) as Values;

/** The form's strings as settings, or the messages of the fields that are not valid. */
function parseValues(values: Values): { settings: RuleSettings } | { errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    input[key] = key === "cycleStatistic" ? value : value.trim() === "" ? Number.NaN : Number(value);
  }
  const parsed = ruleSettingsSchema.safeParse(input);
  if (parsed.success) return { settings: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    errors[key] ??= fieldMessage(key as keyof RuleSettings, issue.code);
  }
  return { errors };
}

export function fieldMessage(key: keyof RuleSettings, code: string): string {
  if (key === "cycleStatistic") return "Pick mean or median.";
  const bounds = numberBounds(key);
  const example = bounds.integer ? "" : " like 2 or 1.5";
  return code === "invalid_type"
    ? `Give a number${example}.`
    : `Give ${bounds.integer ? "a whole number" : "a number"} from ${bounds.min} to ${formatCount(bounds.max)}.`;
}

export function sameSettings(a: RuleSettings, b: RuleSettings): boolean {
  return (Object.keys(a) as (keyof RuleSettings)[]).every((key) => a[key] === b[key]);
}

export function RuleSettingsForm({
  saved,
  canEdit,
  currency,
}: {
  saved: RuleSettings;
  canEdit: boolean;
  currency: string;
}) {
  if (!canEdit) return <ThresholdList values={saved} testId="org-thresholds-read-only" />;
  return <EditableRuleSettings saved={saved} currency={currency} />;
}

function EditableRuleSettings({ saved, currency }: { saved: RuleSettings; currency: string }) {
  const [values, setValues] = useState<Values>(() => toValues(saved));
  const [saveResult, setSaveResult] = useState<ActionResult<unknown> | null>(null);
  const [saving, startSaving] = useTransition();
  const [refreshKey, setRefreshKey] = useState(0);

  const parsed = useMemo(() => parseValues(values), [values]);
  const candidate = "settings" in parsed ? parsed.settings : null;
  const errors = "errors" in parsed ? parsed.errors : {};
  const dirty = candidate ? !sameSettings(candidate, saved) : true;

  // Preview of the candidate settings (and, first, of the saved ones); refreshKey re-runs it after a save.
  const {
    preview,
    error: previewError,
    previewing,
  } = useLivePreview(candidate ? `${JSON.stringify(candidate)}|${refreshKey}` : null, () =>
    previewRuleSettingsAction(candidate),
  );

  const setField = useCallback((key: keyof RuleSettings, value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setSaveResult(null);
  }, []);

  const save = () => {
    if (!candidate) return;
    startSaving(async () => {
      const result = await saveRuleSettingsAction(candidate);
      setSaveResult(result);
      if (result.ok) setRefreshKey((key) => key + 1);
    });
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
        aria-describedby="rules-intro"
        noValidate
      >
        <fieldset className="grid gap-x-6 gap-y-4 sm:grid-cols-2">
          <legend className="sr-only">Rule thresholds</legend>
          {RULE_SETTING_FIELDS.map((field) => (
            <ThresholdField
              key={field.key}
              field={field}
              idPrefix="rule"
              testId={`field-${field.key}`}
              value={values[field.key]}
              labelNote={
                values[field.key] !== String(saved[field.key]) ? (
                  <span className="ml-2 text-xs font-normal text-blue-800">
                    (changed from {String(saved[field.key])})
                  </span>
                ) : null
              }
              note={field.help}
              error={errors[field.key]}
              onChange={setField}
            />
          ))}
        </fieldset>
        <div className="mt-6 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={!candidate || !dirty || saving}>
            {saving ? "Saving…" : "Save thresholds"}
          </Button>
          <Button
            type="button"
            disabled={!dirty || saving}
            onClick={() => {
              setValues(toValues(saved));
              setSaveResult(null);
            }}
          >
            Undo changes
          </Button>
          <Button
            type="button"
            variant="ghost"
            disabled={saving || (candidate !== null && sameSettings(candidate, DEFAULT_RULE_SETTINGS))}
            onClick={() => setValues(toValues(DEFAULT_RULE_SETTINGS))}
          >
            Fill in the defaults
          </Button>
          <FormResult result={saveResult} />
        </div>
      </form>
      <PreviewPanel
        preview={preview}
        candidate={candidate}
        saved={saved}
        previewing={previewing}
        error={previewError}
        invalid={!candidate}
        currency={currency}
      />
    </div>
  );
}

export function PreviewPanel({
  preview,
  candidate,
  saved,
  previewing,
  error,
  invalid,
  currency,
  levelOf,
  levelSummary,
}: {
  preview: RulePreview | null;
  candidate: RuleSettings | null;
  saved: RuleSettings;
  previewing: boolean;
  error: string | null;
  invalid: boolean;
  currency: string;
  /** Where each candidate threshold comes from ("organisation default", "Central team's setting"); team forms only. */
  levelOf?: (key: keyof RuleSettings) => string;
  /** One line naming the levels in force ("2 of the Central team's settings, the rest organisation defaults"). */
  levelSummary?: string;
}) {
  const money = (cents: number) => formatMoney(cents / 100, currency, { compact: true });
  const changedFields = candidate
    ? RULE_SETTING_FIELDS.filter((field) => candidate[field.key] !== saved[field.key])
    : [];
  const flagged = (counts: RulePreviewCounts) =>
    `${formatCount(counts.flaggedDeals)} ${counts.flaggedDeals === 1 ? "deal" : "deals"} flagged (${money(counts.flaggedValueCents)})`;
  const delta = preview ? preview.candidate.flaggedDeals - preview.saved.flaggedDeals : 0;
  // Until the preview after a save arrives, its "saved" counts belong to the old settings.
  const previewMatchesSaved = preview !== null && sameSettings(preview.savedSettings, saved);

  return (
    <aside
      aria-labelledby="preview-title"
      className="h-fit rounded-lg border border-slate-200 bg-slate-50 p-4 lg:sticky lg:top-4"
      data-testid="rule-preview"
    >
      <h3 id="preview-title" className="font-semibold text-slate-900">
        Live preview
      </h3>
      <div role="status" aria-live="polite" aria-atomic="true" className="mt-1 text-sm">
        {invalid ? (
          <p className="text-red-800">Fix the values marked in red to see the preview.</p>
        ) : error ? (
          <p className="text-red-800">{error}</p>
        ) : !preview ? (
          <p className="text-slate-600">Counting what the rules flag…</p>
        ) : (
          <>
            <p className="text-slate-600">
              Open deals of {preview.scope} as of {formatDate(preview.asOf)}: {formatCount(preview.candidate.openDeals)}{" "}
              ({money(preview.candidate.openValueCents)}).
              {previewing ? " Updating…" : ""}
            </p>
            {levelSummary ? (
              <p className="mt-1 text-slate-700" data-testid="preview-levels">
                {levelSummary}
              </p>
            ) : null}
            <p className="mt-3 text-base text-slate-900">
              With these settings: <strong data-testid="preview-flagged">{flagged(preview.candidate)}</strong>
            </p>
            <p className="text-slate-700">
              With the saved settings: <span data-testid="preview-saved">{flagged(preview.saved)}</span>
              {delta !== 0 ? (
                <strong className={delta > 0 ? "text-red-800" : "text-emerald-800"}>
                  {" "}
                  ({delta > 0 ? "+" : "−"}
                  {formatCount(Math.abs(delta))})
                </strong>
              ) : null}
            </p>
            {changedFields.length > 0 && candidate && previewMatchesSaved ? (
              <ul className="mt-3 space-y-1 text-slate-800" data-testid="preview-sentences">
                {changedFields.map((field) => (
                  <li key={field.key}>
                    {field.label}
                    {levelOf ? ` (${levelOf(field.key)})` : ""}:{" "}
                    {fieldSentence(field, saved[field.key], candidate[field.key], preview, money)}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </div>
      {preview && !invalid ? <RuleTable preview={preview} money={money} /> : null}
    </aside>
  );
}

/**
 * What one changed threshold does, in the words of the rules it drives:
 * "at 2.0× → 38 deals flagged “Past its time” ($1.6M); at 1.5× → 43 ($1.9M)".
 * A threshold that drives many rules is told by the total of flagged deals.
 */
function fieldSentence(
  field: RuleSettingField,
  savedValue: RuleSettings[keyof RuleSettings],
  candidateValue: RuleSettings[keyof RuleSettings],
  preview: RulePreview,
  money: (cents: number) => string,
): string {
  const before = formatSetting(savedValue, field);
  const after = formatSetting(candidateValue, field);
  // "38 deals" (with the unit) or "43", and "($1.6M)" for deal rules.
  const tally = (counts: RulePreviewCounts, rule: RuleName, withUnit: boolean) => {
    const { count, valueCents } = counts.byRule[rule];
    const level = RULES[rule].level;
    const unit = level === "deal" ? "deal" : level === "rep" ? "rep" : "team";
    return {
      number: withUnit ? `${formatCount(count)} ${count === 1 ? unit : `${unit}s`}` : formatCount(count),
      value: level === "deal" ? ` (${money(valueCents)})` : "",
    };
  };
  if (field.rules.length === 1) {
    const [rule] = field.rules as [RuleName];
    const was = tally(preview.saved, rule, true);
    const would = tally(preview.candidate, rule, false);
    return `at ${before} → ${was.number} flagged “${RULES[rule].label}”${was.value}; at ${after} → ${would.number}${would.value}`;
  }
  if (field.rules.length === 2) {
    const list = (counts: RulePreviewCounts, withNames: boolean) =>
      field.rules
        .map((rule) => {
          const { number, value } = tally(counts, rule, withNames);
          return `${withNames ? `“${RULES[rule].label}” ` : ""}${number}${value}`;
        })
        .join(", ");
    return `at ${before} → ${list(preview.saved, true)}; at ${after} → ${list(preview.candidate, false)}`;
  }
  const total = (counts: RulePreviewCounts) =>
    `${formatCount(counts.flaggedDeals)} (${money(counts.flaggedValueCents)})`;
  return `at ${before} → ${total(preview.saved)} deals flagged; at ${after} → ${total(preview.candidate)}`;
}

function formatSetting(value: RuleSettings[keyof RuleSettings], field: RuleSettingField): string {
  if (field.unit === "× multiple") return `${Number(value).toFixed(1)}×`;
  if (field.unit === "days") return `${value} days`;
  return String(value);
}

function RuleTable({ preview, money }: { preview: RulePreview; money: (cents: number) => string }) {
  const rules = Object.keys(RULES) as RuleName[];
  return (
    <table className="mt-4 w-full text-xs">
      <caption className="mb-1 text-left text-slate-600">
        Flags per rule (deal rules count deals and their value; the rep and team rules count reps and teams)
      </caption>
      <thead className="text-left text-slate-600">
        <tr>
          <th scope="col" className="py-1 font-medium">
            Rule
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Saved
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            These settings
          </th>
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => {
          const before = preview.saved.byRule[rule];
          const after = preview.candidate.byRule[rule];
          const isDeal = RULES[rule].level === "deal";
          const changed = before.count !== after.count;
          return (
            <tr key={rule} className="border-t border-slate-200" data-testid={`preview-rule-${rule}`}>
              <th scope="row" className="py-1 text-left font-normal">
                {RULES[rule].label}
              </th>
              <td className="py-1 text-right tabular-nums">
                {formatCount(before.count)}
                {isDeal ? ` · ${money(before.valueCents)}` : ""}
              </td>
              <td className={`py-1 text-right tabular-nums ${changed ? "font-semibold text-slate-900" : ""}`}>
                {formatCount(after.count)}
                {isDeal ? ` · ${money(after.valueCents)}` : ""}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
