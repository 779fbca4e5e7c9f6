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
  effectiveThresholds,
  RULE_SETTING_FIELDS,
  type RuleSettings,
  type TeamOverrides,
  teamOverridesSchema,
} from "@/lib/rules/settings";
import { previewTeamThresholdsAction, saveTeamThresholdsAction } from "@/lib/settings/actions";
import type { TeamThresholdsView } from "@/lib/settings/data";
import { FormResult } from "./form-result";
import { fieldMessage, PreviewPanel } from "./rule-settings-form";
import { ThresholdField } from "./threshold-field";
import { describeThreshold, ThresholdList } from "./threshold-list";
import { useLivePreview } from "./use-live-preview";

// Every threshold may be set per team (lib/rules/settings.ts).
const TEAM_FIELDS = RULE_SETTING_FIELDS;

type Values = Record<keyof RuleSettings, string>;

const toValues = (overrides: TeamOverrides): Values =>
  Object.fromEntries(
    TEAM_FIELDS.map(({ key }) => [key, overrides[key] === undefined ? "" : String(overrides[key])]),
  ) as Values;

/** The form's strings as overrides (an empty field is no override), or the messages of the fields that are not valid. */
function parseValues(values: Values): { overrides: TeamOverrides } | { errors: Record<string, string> } {
  const input: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value.trim() !== "") input[key] = key === "cycleStatistic" ? value : Number(value);
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
  const effective = effectiveThresholds(orgDefaults, team);
  return (
    <div>
      <p className="mb-3 text-sm text-slate-600">
        Read only: the {team.teamName} team's manager or an administrator sets these.
      </p>
      <ThresholdList values={effective.values} levelOf={effective.levelOf} testId="team-thresholds-read-only" />
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
    candidate && candidate[key] !== undefined ? teamLevel : "organisation default";
  const ownCount = candidate ? Object.keys(candidate).length : 0;

  // Preview of the candidate overrides next to the saved ones (which change after a save).
  const {
    preview,
    error: previewError,
    previewing,
  } = useLivePreview(candidate ? `${JSON.stringify(candidate)}|${JSON.stringify(team.overrides)}` : null, () =>
    previewTeamThresholdsAction({ teamId: team.teamId, overrides: candidate }),
  );

  const setField = (key: keyof RuleSettings, value: string) => {
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
            <ThresholdField
              key={field.key}
              field={field}
              idPrefix="team-rule"
              testId={`team-field-${field.key}`}
              value={values[field.key]}
              placeholder={String(orgDefaults[field.key])}
              emptyOption={`Organisation default (${describeThreshold(field.key, orgDefaults[field.key]).toLowerCase()})`}
              noteId="level"
              noteTestId={`team-level-${field.key}`}
              note={
                values[field.key].trim() !== ""
                  ? `${teamLevel}; the organisation default is ${describeThreshold(field.key, orgDefaults[field.key])}.`
                  : `Organisation default (${describeThreshold(field.key, orgDefaults[field.key])}).`
              }
              error={errors[field.key]}
              onChange={setField}
            >
              <Button
                type="button"
                variant="ghost"
                disabled={values[field.key].trim() === ""}
                onClick={() => setField(field.key, "")}
                aria-label={`Reset “${field.label}” to the organisation default`}
              >
                Reset to organisation default
              </Button>
            </ThresholdField>
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
