"use client";
// A team's own rule thresholds over the organisation defaults (SPEC "The
// rules"). Each field is either the team's setting or empty ("organisation
// default", shown as the placeholder), with a reset per field. The live
// preview counts the team's deals with the form's values next to the saved
// ones and names the level each threshold comes from. Read-only for those
// who may not edit (reps, other teams' managers): plain values, no inputs.
import { useMemo, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import {
  describeLevel,
  isTeamOverridable,
  RULE_SETTING_FIELDS,
  type RuleSettingField,
  type RuleSettings,
  type TeamOverridableKey,
  type TeamOverrides,
  teamOverridesSchema,
} from "@/lib/rules/settings";
import { previewTeamThresholdsAction, saveTeamThresholdsAction } from "@/lib/settings/actions";
import type { TeamThresholdsView } from "@/lib/settings/data";
import { FormResult } from "./form-result";
import { useLivePreview } from "./use-live-preview";
import { fieldMessage, numberBounds, PreviewPanel } from "./rule-settings-form";

const TEAM_FIELDS = RULE_SETTING_FIELDS.filter((field) => isTeamOverridable(field.key)) as (RuleSettingField & {
  key: TeamOverridableKey;
})[];

type Values = Record<TeamOverridableKey, string>;

const toValues = (overrides: TeamOverrides): Values =>
  Object.fromEntries(
    TEAM_FIELDS.map(({ key }) => [key, overrides[key] === undefined ? "" : String(overrides[key])]),
  ) as Values;

/** The form's strings as overrides (an empty field is no override), or the messages of the fields that are not valid. */
function parseValues(values: Values): { overrides: TeamOverrides } | { errors: Record<string, string> } {
  const input: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value.trim() !== "") input[key] = Number(value);
  }
  const parsed = teamOverridesSchema.safeParse(input);
  if (parsed.success) return { overrides: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]) as keyof RuleSettings;
    errors[key] ??= fieldMessage(key, issue.code);
  }
  return { errors };
}

const sameOverrides = (a: TeamOverrides, b: TeamOverrides) => TEAM_FIELDS.every(({ key }) => a[key] === b[key]);

function formatValue(value: number, field: RuleSettingField): string {
  if (field.unit === "× multiple") return `${value.toFixed(1)}× cycle`;
  return field.unit ? `${value} ${field.unit}` : String(value);
}

export function TeamThresholdsSection({
  teams,
  orgDefaults,
  currency,
}: {
  teams: TeamThresholdsView[];
  orgDefaults: RuleSettings;
  currency: string;
}) {
  const [teamId, setTeamId] = useState(teams[0]?.teamId ?? "");
  const team = teams.find((t) => t.teamId === teamId) ?? teams[0];
  if (!team) return null;
  return (
    <div>
      {teams.length > 1 ? (
        <div className="mb-4 flex items-center gap-2">
          <label htmlFor="team-thresholds-team" className="text-sm font-medium text-slate-800">
            Team
          </label>
          <select
            id="team-thresholds-team"
            value={team.teamId}
            onChange={(event) => setTeamId(event.target.value)}
            className={inputClass}
          >
            {teams.map((t) => (
              <option key={t.teamId} value={t.teamId}>
                {t.teamName}
                {Object.keys(t.overrides).length > 0 ? ` (${Object.keys(t.overrides).length} set)` : ""}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {team.canEdit ? (
        // A new form per team: switching team starts from that team's saved values.
        <TeamThresholdsForm key={team.teamId} team={team} orgDefaults={orgDefaults} currency={currency} />
      ) : (
        <ReadOnlyTeamThresholds team={team} orgDefaults={orgDefaults} />
      )}
    </div>
  );
}

function ReadOnlyTeamThresholds({ team, orgDefaults }: { team: TeamThresholdsView; orgDefaults: RuleSettings }) {
  const level = describeLevel({ kind: "team", teamName: team.teamName });
  return (
    <div>
      <p className="mb-3 text-sm text-slate-600">
        Read only: the {team.teamName} team's manager or an administrator sets these.
      </p>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="team-thresholds-read-only">
        {TEAM_FIELDS.map((field) => {
          const own = team.overrides[field.key];
          return (
            <div key={field.key} className="flex flex-wrap justify-between gap-2 border-b border-slate-100 py-1">
              <dt className="text-slate-700">{field.label}</dt>
              <dd className="text-slate-900">
                {formatValue(own ?? orgDefaults[field.key], field)}{" "}
                <span className="text-xs text-slate-600">({own === undefined ? "organisation default" : level})</span>
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}

function TeamThresholdsForm({
  team,
  orgDefaults,
  currency,
}: {
  team: TeamThresholdsView;
  orgDefaults: RuleSettings;
  currency: string;
}) {
  const [values, setValues] = useState<Values>(() => toValues(team.overrides));
  const [saveResult, setSaveResult] = useState<ActionResult<unknown> | null>(null);
  const [saving, startSaving] = useTransition();

  const parsed = useMemo(() => parseValues(values), [values]);
  const candidate = "overrides" in parsed ? parsed.overrides : null;
  const errors = "errors" in parsed ? parsed.errors : {};
  const dirty = candidate ? !sameOverrides(candidate, team.overrides) : true;
  const teamLevel = describeLevel({ kind: "team", teamName: team.teamName });
  const levelOf = (key: keyof RuleSettings) =>
    candidate && isTeamOverridable(key) && candidate[key] !== undefined ? teamLevel : "organisation default";
  const ownCount = candidate ? Object.keys(candidate).length : 0;

  // Preview of the candidate overrides next to the saved ones (which change after a save).
  const {
    preview,
    error: previewError,
    previewing,
  } = useLivePreview(candidate ? `${JSON.stringify(candidate)}|${JSON.stringify(team.overrides)}` : null, () =>
    previewTeamThresholdsAction({ teamId: team.teamId, overrides: candidate }),
  );

  const setField = (key: TeamOverridableKey, value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setSaveResult(null);
  };

  const save = () => {
    if (!candidate) return;
    startSaving(async () => {
      setSaveResult(await saveTeamThresholdsAction({ teamId: team.teamId, overrides: candidate }));
    });
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
        aria-label={`Thresholds of the ${team.teamName} team`}
        noValidate
      >
        <fieldset className="grid gap-x-6 gap-y-4 sm:grid-cols-2">
          <legend className="sr-only">Thresholds of the {team.teamName} team</legend>
          {TEAM_FIELDS.map((field) => (
            <TeamField
              key={field.key}
              field={field}
              value={values[field.key]}
              orgDefault={orgDefaults[field.key]}
              teamLevel={teamLevel}
              error={errors[field.key]}
              onChange={setField}
            />
          ))}
        </fieldset>
        <div className="mt-6 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={!candidate || !dirty || saving}>
            {saving ? "Saving…" : `Save the ${team.teamName} team's thresholds`}
          </Button>
          <Button
            type="button"
            disabled={!dirty || saving}
            onClick={() => {
              setValues(toValues(team.overrides));
              setSaveResult(null);
            }}
          >
            Undo changes
          </Button>
          <FormResult result={saveResult} />
        </div>
      </form>
      <PreviewPanel
        preview={preview}
        candidate={candidate ? { ...orgDefaults, ...candidate } : null}
        saved={{ ...orgDefaults, ...team.overrides }}
        previewing={previewing}
        error={previewError}
        invalid={!candidate}
        currency={currency}
        levelOf={levelOf}
        levelSummary={
          ownCount === 0
            ? "Every threshold is the organisation default."
            : `${ownCount} ${ownCount === 1 ? "threshold is the" : "thresholds are the"} ${teamLevel.replace(/'s setting$/, "'s own setting")}${ownCount === 1 ? "" : "s"}; the rest are organisation defaults.`
        }
      />
    </div>
  );
}

function TeamField({
  field,
  value,
  orgDefault,
  teamLevel,
  error,
  onChange,
}: {
  field: RuleSettingField & { key: TeamOverridableKey };
  value: string;
  orgDefault: number;
  teamLevel: string;
  error?: string;
  onChange: (key: TeamOverridableKey, value: string) => void;
}) {
  const id = `team-rule-${field.key}`;
  const own = value.trim() !== "";
  const bounds = numberBounds(field.key);
  const unit = field.unit === "× multiple" ? "× cycle" : field.unit;
  const describedBy = [`${id}-level`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="flex flex-col gap-1" data-testid={`team-field-${field.key}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {field.label}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={id}
          name={field.key}
          type="number"
          inputMode="decimal"
          step={bounds.integer ? 1 : 0.1}
          min={bounds.min}
          max={bounds.max}
          value={value}
          placeholder={String(orgDefault)}
          onChange={(event) => onChange(field.key, event.target.value)}
          className={`${inputClass} w-28`}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        {unit ? <span className="text-sm text-slate-600">{unit}</span> : null}
        <Button
          type="button"
          variant="ghost"
          disabled={!own}
          onClick={() => onChange(field.key, "")}
          aria-label={`Reset “${field.label}” to the organisation default`}
        >
          Reset to organisation default
        </Button>
      </div>
      <p id={`${id}-level`} className="text-xs text-slate-600" data-testid={`team-level-${field.key}`}>
        {own ? `${teamLevel}; the organisation default is ${orgDefault}.` : `Organisation default (${orgDefault}).`}
      </p>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
