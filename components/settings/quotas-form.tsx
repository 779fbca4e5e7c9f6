"use client";
// Quotas per rep for one period (usually a quarter). Coverage on the team
// overview compares the open pipeline with what is left of them.
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { formatAmountForInput } from "@/lib/format";
import { saveQuotasAction } from "@/lib/settings/actions";
import type { RepQuota } from "@/lib/settings/data";
import { FormResult } from "./form-result";
import { useFormAction } from "./use-form-action";

export function QuotasForm({
  quotas,
  periodStart,
  periodEnd,
  currency,
  canEdit,
  showTeam,
}: {
  quotas: RepQuota[];
  /** YYYY-MM-DD */
  periodStart: string;
  periodEnd: string;
  currency: string;
  canEdit: boolean;
  showTeam: boolean;
}) {
  const [result, onSubmit, pending] = useFormAction(saveQuotasAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!canEdit}>
        <legend className="sr-only">Quotas for the period</legend>
        <div className="mb-3 flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor="quota-period-start" className="text-sm font-medium text-slate-800">
              Period from
            </label>
            <input
              id="quota-period-start"
              name="periodStart"
              type="date"
              defaultValue={periodStart}
              className={inputClass}
              aria-invalid={errors.periodStart ? true : undefined}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="quota-period-end" className="text-sm font-medium text-slate-800">
              to (inclusive)
            </label>
            <input
              id="quota-period-end"
              name="periodEnd"
              type="date"
              defaultValue={periodEnd}
              className={inputClass}
              aria-invalid={errors.periodEnd ? true : undefined}
              aria-describedby={errors.periodEnd ? "quota-period-error" : undefined}
            />
          </div>
          {errors.periodStart || errors.periodEnd ? (
            <p id="quota-period-error" className="text-sm text-red-800">
              {[...(errors.periodStart ?? []), ...(errors.periodEnd ?? [])].join(" ")}
            </p>
          ) : null}
        </div>
        {quotas.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
            No active reps to set quotas for. Import your team first.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <caption className="sr-only">Quota of each rep for the period</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Rep
                  </th>
                  {showTeam ? (
                    <th scope="col" className="px-3 py-2 font-medium">
                      Team
                    </th>
                  ) : null}
                  <th scope="col" className="px-3 py-2 font-medium">
                    Quota ({currency})
                  </th>
                </tr>
              </thead>
              <tbody>
                {quotas.map((quota, index) => {
                  const error = errors[`quotas.${index}.amount`]?.join(" ");
                  return (
                    <tr key={quota.userId} className="border-t border-slate-100">
                      <th scope="row" className="px-3 py-2 text-left font-medium">
                        {quota.name}
                      </th>
                      {showTeam ? <td className="px-3 py-2 text-slate-600">{quota.teamName ?? "—"}</td> : null}
                      <td className="px-3 py-2">
                        <input
                          name={`quota-${quota.userId}`}
                          inputMode="decimal"
                          defaultValue={formatAmountForInput(quota.amount)}
                          placeholder="no quota"
                          aria-label={`Quota of ${quota.name}`}
                          aria-invalid={error ? true : undefined}
                          className={`${inputClass} w-40 text-right tabular-nums`}
                        />
                        {error ? <p className="mt-1 text-xs text-red-800">{error}</p> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </fieldset>
      {canEdit ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={pending || quotas.length === 0}>
            {pending ? "Saving…" : "Save quotas"}
          </Button>
          <FormResult result={result} />
          <p className="text-xs text-slate-600">Leave a quota empty to remove it for this period.</p>
        </div>
      ) : null}
    </form>
  );
}
