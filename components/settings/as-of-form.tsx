"use client";
// The organisation's fixed "as of" date: after importing a historical export,
// every screen and review reads the data as of that day instead of today.
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { setAsOfAction } from "@/lib/settings/actions";
import { FormResult } from "./form-result";
import { useFormAction } from "./use-form-action";

export function AsOfForm({ fixedDay, today, canEdit }: { fixedDay: string | null; today: string; canEdit: boolean }) {
  const [result, onSubmit, pending] = useFormAction(setAsOfAction);
  const error = result && !result.ok ? result.fieldErrors?.asOf?.join(" ") : undefined;
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!canEdit} className="flex flex-wrap items-end gap-3">
        <legend className="sr-only">Fixed as-of date</legend>
        <div className="flex flex-col gap-1">
          <label htmlFor="as-of-day" className="text-sm font-medium text-slate-800">
            Read the data as of
          </label>
          <input
            id="as-of-day"
            name="asOf"
            type="date"
            max={today}
            defaultValue={fixedDay ?? ""}
            className={inputClass}
            aria-invalid={error ? true : undefined}
            aria-describedby="as-of-help"
          />
        </div>
        {canEdit ? (
          <>
            <Button type="submit" name="intent" value="set" variant="primary" disabled={pending}>
              {pending ? "Saving…" : "Fix this date"}
            </Button>
            {fixedDay ? (
              <Button type="submit" name="intent" value="clear" disabled={pending}>
                Use today instead
              </Button>
            ) : null}
          </>
        ) : null}
      </fieldset>
      <p id="as-of-help" className="mt-2 text-xs text-slate-600">
        {fixedDay
          ? "The date is fixed: ages, gaps and reviews count up to the end of that day."
          : "Not fixed: every screen and review uses today. Fix a date after importing a historical export."}
      </p>
      {error ? <p className="mt-1 text-sm text-red-800">{error}</p> : null}
      <FormResult result={result} />
    </form>
  );
}
