// The flagged-deals page's filters as a plain GET form (the URL is the view:
// bookmark it, share it, it works before JavaScript loads). Changing a filter
// starts again at page 1.
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { StageOption } from "@/lib/deals/deal-row-view";
import type { FlaggedDealsView } from "@/lib/deals/flagged-view";
import { RULES, type RuleName } from "@/lib/rules/types";

const DEAL_RULES = (Object.keys(RULES) as RuleName[]).filter((rule) => RULES[rule].level === "deal");

function Select({
  id,
  label,
  name,
  value,
  children,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={inputClass}>
        {children}
      </select>
    </div>
  );
}

export function FlaggedDealsFilters({
  view,
  reps,
  stages,
  filtered,
}: {
  view: FlaggedDealsView;
  reps: { id: string; name: string }[];
  stages: StageOption[];
  filtered: boolean;
}) {
  return (
    <form method="get" action="/deals" className="flex flex-wrap items-end gap-3" aria-label="Filter the flagged deals">
      <Select id="flagged-rule" label="Flag" name="rule" value={view.rule ?? ""}>
        <option value="">Any flag</option>
        {DEAL_RULES.map((rule) => (
          <option key={rule} value={rule}>
            {RULES[rule].label}
          </option>
        ))}
      </Select>
      <Select id="flagged-severity" label="Severity" name="severity" value={view.severity ?? ""}>
        <option value="">Any severity</option>
        <option value="stale">Stale</option>
        <option value="at_risk">At risk</option>
        <option value="nudge">Nudge</option>
      </Select>
      <Select id="flagged-rep" label="Rep" name="rep" value={view.repId ?? ""}>
        <option value="">Every rep</option>
        {reps.map((rep) => (
          <option key={rep.id} value={rep.id}>
            {rep.name}
          </option>
        ))}
      </Select>
      <Select id="flagged-stage" label="Stage" name="stage" value={view.stageId ? String(view.stageId) : ""}>
        <option value="">All stages</option>
        {stages.map((stage) => (
          <option key={stage.id} value={stage.id}>
            {stage.name}
          </option>
        ))}
      </Select>
      <div className="flex flex-col gap-1">
        <label htmlFor="flagged-weeks" className="text-sm font-medium text-slate-800">
          Flagged for more than
        </label>
        <span className="flex items-center gap-2">
          <input
            id="flagged-weeks"
            name="weeks"
            type="number"
            inputMode="numeric"
            min={1}
            max={520}
            step={1}
            defaultValue={view.minWeeks ?? ""}
            placeholder="any"
            className={`${inputClass} w-20`}
          />
          <span className="text-sm text-slate-700">weeks</span>
        </span>
      </div>
      <Button type="submit" variant="primary">
        Apply filters
      </Button>
      {filtered ? (
        <Link href="/deals" className="py-1.5 text-sm text-blue-800 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
