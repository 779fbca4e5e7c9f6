// Thresholds for someone who may not change them, as plain text (a definition
// list: "Past its time after: 2.0× the average cycle"), not disabled inputs.
import { describeLevel, RULE_SETTING_FIELDS, type RuleSettings, type ThresholdLevel } from "@/lib/rules/settings";
import { formatCount } from "@/lib/format";
import { STATISTIC_LABELS } from "./threshold-field";

/** A threshold in words: "2.0× the average cycle", "90 days", "Median". */
export function describeThreshold<K extends keyof RuleSettings>(key: K, value: RuleSettings[K]): string {
  if (key === "cycleStatistic") return STATISTIC_LABELS[value as RuleSettings["cycleStatistic"]];
  const number = value as number;
  if (key === "pastItsTimeMultiple") return `${number.toFixed(1)}× the average cycle`;
  if (key === "stuckInStageMultiple") return `${number.toFixed(1)}× the median days won deals spend in the stage`;
  const unit = RULE_SETTING_FIELDS.find((candidate) => candidate.key === key)?.unit;
  if (!unit || unit === "× multiple") return formatCount(number);
  return `${formatCount(number)} ${number === 1 ? SINGULAR[unit] : unit}`;
}

const SINGULAR = { days: "day", "won deals": "won deal", activities: "activity", times: "time", periods: "period" };

export function ThresholdList({
  values,
  levelOf,
  testId,
}: {
  values: RuleSettings;
  /** Where each value comes from, said after it; omitted: the organisation's own list. */
  levelOf?: (key: keyof RuleSettings) => ThresholdLevel;
  testId?: string;
}) {
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2" data-testid={testId}>
      {RULE_SETTING_FIELDS.map((field) => (
        <div
          key={field.key}
          className="flex flex-wrap justify-between gap-x-3 border-b border-slate-100 py-1"
          data-testid={testId ? `${testId}-${field.key}` : undefined}
        >
          <dt className="text-slate-700">{field.label}:</dt>
          <dd className="text-slate-900">
            {describeThreshold(field.key, values[field.key])}
            {levelOf ? <span className="text-xs text-slate-600"> ({describeLevel(levelOf(field.key))})</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
