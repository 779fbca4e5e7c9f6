// One rule threshold as a form field, shared by the organisation's form and a
// team's: the label, a number input (or mean/median for the cycle statistic)
// with its unit, a line under it (the help or the level it comes from), the
// error, and room for a button (a team's "reset to organisation default").
import type { ReactNode } from "react";
import { inputClass } from "@/components/ui/field";
import { type RuleSettingField, type RuleSettings, ruleSettingsSchema } from "@/lib/rules/settings";

/** The limits lib/rules/settings.ts puts on a threshold, for the messages and the inputs. */
export function numberBounds(key: Exclude<keyof RuleSettings, "cycleStatistic">): {
  min: number;
  max: number;
  integer: boolean;
} {
  const inner = ruleSettingsSchema.shape[key].unwrap();
  return { min: inner.minValue ?? 0, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER, integer: inner.isInt };
}

export const STATISTIC_LABELS: Record<RuleSettings["cycleStatistic"], string> = {
  mean: "Mean (average)",
  median: "Median",
};

export function ThresholdField({
  field,
  idPrefix,
  value,
  onChange,
  note,
  noteId = "hint",
  labelNote,
  error,
  placeholder,
  emptyOption,
  testId,
  noteTestId,
  children,
}: {
  field: RuleSettingField;
  /** "rule" (the organisation's form) or "team-rule": ids stay unique with both forms on the page. */
  idPrefix: string;
  value: string;
  onChange: (key: keyof RuleSettings, value: string) => void;
  /** The line under the input: what the threshold changes, or which level it comes from. */
  note: ReactNode;
  noteId?: string;
  /** After the label, e.g. "(changed from 90)". */
  labelNote?: ReactNode;
  error?: string;
  /** Shown in an empty number input (a team's field: the organisation default). */
  placeholder?: string;
  /** For the statistic on a team's form: the choice that sets nothing ("Organisation default (mean)"). */
  emptyOption?: string;
  testId?: string;
  /** The note's test id (a team's form: "team-level-<key>"). */
  noteTestId?: string;
  children?: ReactNode;
}) {
  const id = `${idPrefix}-${field.key}`;
  const describedBy = [`${id}-${noteId}`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const unit = field.unit === "× multiple" ? "× cycle" : field.unit;
  return (
    <div className="flex flex-col gap-1" data-testid={testId}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {field.label}
        {labelNote}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        {field.key === "cycleStatistic" ? (
          <select
            id={id}
            name={field.key}
            value={value}
            onChange={(event) => onChange(field.key, event.target.value)}
            className={inputClass}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
          >
            {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
            {Object.entries(STATISTIC_LABELS).map(([statistic, label]) => (
              <option key={statistic} value={statistic}>
                {label}
              </option>
            ))}
          </select>
        ) : (
          <NumberInput
            field={field}
            id={id}
            value={value}
            placeholder={placeholder}
            onChange={onChange}
            error={error}
            describedBy={describedBy}
          />
        )}
        {unit ? <span className="text-sm text-slate-600">{unit}</span> : null}
        {children}
      </div>
      <p id={`${id}-${noteId}`} className="text-xs text-slate-600" data-testid={noteTestId}>
        {note}
      </p>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function NumberInput({
  field,
  id,
  value,
  placeholder,
  onChange,
  error,
  describedBy,
}: {
  field: RuleSettingField;
  id: string;
  value: string;
  placeholder?: string;
  onChange: (key: keyof RuleSettings, value: string) => void;
  error?: string;
  describedBy: string;
}) {
  const bounds = numberBounds(field.key as Exclude<keyof RuleSettings, "cycleStatistic">);
  return (
    <input
      id={id}
      name={field.key}
      type="number"
      inputMode="decimal"
      step={bounds.integer ? 1 : 0.1}
      min={bounds.min}
      max={bounds.max}
      value={value}
      placeholder={placeholder}
      onChange={(event) => onChange(field.key, event.target.value)}
      className={`${inputClass} w-28`}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
    />
  );
}
