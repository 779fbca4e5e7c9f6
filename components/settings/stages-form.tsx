"use client";
// The pipeline's stages: their order, win probability (weighted pipeline),
// whether they are early "interested" stages (reviewed as one group in the
// meeting), and an optional limit on days in the stage.
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { formatCount } from "@/lib/format";
import { saveStagesAction } from "@/lib/settings/actions";
import type { StageSetting } from "@/lib/settings/data";
import { FormResult } from "./form-result";
import { useFormAction } from "./use-form-action";

export function StagesForm({
  stages,
  canEdit,
  openDealsLabel,
}: {
  stages: StageSetting[];
  canEdit: boolean;
  /** "Open deals" / "Your team's open deals". */
  openDealsLabel: string;
}) {
  const [result, onSubmit, pending] = useFormAction(saveStagesAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const errorOf = (index: number, field: string) => errors[`stages.${index}.${field}`]?.join(" ");
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!canEdit}>
        <legend className="sr-only">Stages</legend>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <caption className="sr-only">
              Pipeline stages with their order, win probability, early flag and time limit
            </caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Stage
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Order
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Win probability
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Early stage
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Max days in stage
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  {openDealsLabel}
                </th>
              </tr>
            </thead>
            <tbody>
              {stages.map((stage, index) => {
                const prefix = `stage-${stage.id}`;
                const orderError = errorOf(index, "order");
                const probabilityError = errorOf(index, "probability");
                const maxError = errorOf(index, "maxDaysInStage");
                return (
                  <tr key={stage.id} className="border-t border-slate-100 align-top">
                    <th scope="row" id={`${prefix}-name`} className="px-3 py-2 text-left font-medium">
                      {stage.name}
                      {stage.active ? null : (
                        <span className="block text-xs font-normal text-slate-500">not in use</span>
                      )}
                    </th>
                    <td className="px-3 py-2">
                      <input
                        name={`${prefix}-order`}
                        type="number"
                        min={1}
                        max={99}
                        defaultValue={stage.order}
                        aria-label={`Order of ${stage.name}`}
                        aria-invalid={orderError ? true : undefined}
                        className={`${inputClass} w-20`}
                      />
                      {orderError ? <p className="mt-1 text-xs text-red-800">{orderError}</p> : null}
                    </td>
                    <td className="px-3 py-2">
                      <span className="flex items-center gap-1">
                        <input
                          name={`${prefix}-probability`}
                          type="number"
                          min={0}
                          max={100}
                          defaultValue={stage.probability}
                          aria-label={`Win probability of ${stage.name}, percent`}
                          aria-invalid={probabilityError ? true : undefined}
                          className={`${inputClass} w-20`}
                        />
                        <span aria-hidden="true">%</span>
                      </span>
                      {probabilityError ? <p className="mt-1 text-xs text-red-800">{probabilityError}</p> : null}
                    </td>
                    <td className="px-3 py-2">
                      <label className="inline-flex items-center gap-2">
                        <input
                          name={`${prefix}-early`}
                          type="checkbox"
                          defaultChecked={stage.early}
                          className="h-4 w-4"
                          aria-label={`${stage.name} is an early stage`}
                          aria-describedby="stages-early-help"
                        />
                        <span aria-hidden="true">Early</span>
                      </label>
                    </td>
                    <td className="px-3 py-2">
                      <input
                        name={`${prefix}-maxDaysInStage`}
                        type="number"
                        min={1}
                        max={3650}
                        defaultValue={stage.maxDaysInStage ?? ""}
                        placeholder="won deals' median"
                        aria-label={`Max days in ${stage.name}; empty to compare with won deals`}
                        aria-invalid={maxError ? true : undefined}
                        className={`${inputClass} w-40`}
                      />
                      {maxError ? <p className="mt-1 text-xs text-red-800">{maxError}</p> : null}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatCount(stage.openDeals)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p id="stages-early-help" className="mt-2 text-xs text-slate-600">
          Early stages are the "interested" deals the weekly meeting reviews as one group. Without a max days in stage,
          a deal is stuck when it stays longer than the stuck-in-stage multiple of the median days won deals spent
          there.
        </p>
      </fieldset>
      {canEdit ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save stages"}
          </Button>
          <FormResult result={result} />
        </div>
      ) : null}
    </form>
  );
}
