// The pipeline's filters as a plain GET form: the URL carries the view, so it
// can be bookmarked and shared, and it works before any JavaScript loads.
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { StageOption } from "@/lib/deals/deal-row-view";
import type { PipelineView } from "@/lib/deals/pipeline-view";
import { RULES, type RuleName } from "@/lib/rules/types";

const DEAL_RULES = (Object.keys(RULES) as RuleName[]).filter((rule) => RULES[rule].level === "deal");

export function PipelineFilters({
  view,
  stages,
  basePath,
  filtered,
  board = false,
}: {
  view: PipelineView;
  stages: StageOption[];
  basePath: string;
  filtered: boolean;
  /** Keep showing the stage board after filtering. */
  board?: boolean;
}) {
  return (
    <form method="get" action={basePath} className="flex flex-wrap items-end gap-3" aria-label="Filter the deals">
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-rule" className="text-sm font-medium text-slate-800">
          Flag
        </label>
        <select id="filter-rule" name="rule" defaultValue={view.rule ?? ""} className={inputClass}>
          <option value="">All deals</option>
          <option value="any">Any flag</option>
          <option value="none">No flags</option>
          {DEAL_RULES.map((rule) => (
            <option key={rule} value={rule}>
              {RULES[rule].label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-severity" className="text-sm font-medium text-slate-800">
          Severity
        </label>
        <select id="filter-severity" name="severity" defaultValue={view.severity ?? ""} className={inputClass}>
          <option value="">Any severity</option>
          <option value="stale">Stale</option>
          <option value="at_risk">At risk</option>
          <option value="nudge">Nudge</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-stage" className="text-sm font-medium text-slate-800">
          Stage
        </label>
        <select id="filter-stage" name="stage" defaultValue={view.stageId ?? ""} className={inputClass}>
          <option value="">All stages</option>
          {stages.map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.name}
              {stage.early ? " (early)" : ""}
            </option>
          ))}
        </select>
      </div>
      {view.sort !== "flags" ? (
        <>
          <input type="hidden" name="sort" value={view.sort} />
          <input type="hidden" name="dir" value={view.dir} />
        </>
      ) : null}
      {board ? <input type="hidden" name="view" value="board" /> : null}
      <Button type="submit" variant="primary">
        Apply filters
      </Button>
      {filtered ? (
        <Link href={board ? `${basePath}?view=board` : basePath} className="py-1.5 text-sm text-blue-800 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
