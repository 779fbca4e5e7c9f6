"use client";
// When the organisation's review runs by itself each day: a time on the
// organisation's clock and its time zone (admins edit; others read).
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { setReviewScheduleAction } from "@/lib/schedule/actions";
import { FormResult } from "./form-result";
import { useFormAction } from "./use-form-action";

export function ReviewScheduleForm({
  reviewTime,
  timeZone,
  timeZones,
  lastRun,
  canEdit,
}: {
  reviewTime: string;
  timeZone: string;
  timeZones: string[];
  /** Said in words by the page, e.g. "Last ran Dec 5, 06:00". */
  lastRun: string;
  canEdit: boolean;
}) {
  const [result, onSubmit, pending] = useFormAction(setReviewScheduleAction);
  const fieldError = (name: string) => (result && !result.ok ? result.fieldErrors?.[name]?.join(" ") : undefined);
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!canEdit} className="flex flex-wrap items-end gap-3">
        <legend className="sr-only">Daily review</legend>
        <div className="flex flex-col gap-1">
          <label htmlFor="review-time" className="text-sm font-medium text-slate-800">
            Run the review every day at
          </label>
          <input
            id="review-time"
            name="reviewTime"
            type="time"
            defaultValue={reviewTime}
            className={inputClass}
            aria-invalid={fieldError("reviewTime") ? true : undefined}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="review-time-zone" className="text-sm font-medium text-slate-800">
            Time zone
          </label>
          <input
            id="review-time-zone"
            name="timeZone"
            list="review-time-zones"
            defaultValue={timeZone}
            className={inputClass}
            aria-invalid={fieldError("timeZone") ? true : undefined}
          />
          <datalist id="review-time-zones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
        {canEdit ? (
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save schedule"}
          </Button>
        ) : null}
      </fieldset>
      <p className="mt-2 text-xs text-slate-600">
        The server also reviews after every import, and at its next start when it was down at this time. {lastRun}
      </p>
      {fieldError("reviewTime") ? <p className="mt-1 text-sm text-red-800">{fieldError("reviewTime")}</p> : null}
      {fieldError("timeZone") ? <p className="mt-1 text-sm text-red-800">{fieldError("timeZone")}</p> : null}
      <FormResult result={result} />
    </form>
  );
}
