"use client";
// Every action on one deal as a small form: validation messages next to each
// field, the deal's version in a hidden field (a change by someone else in
// between is refused with a clear message instead of being overwritten), and
// one status line for the last result that survives the page refreshing
// around it (a deal returned to prospecting loses its pipeline actions).
// Forms are noValidate: the server's messages (lib/deals/schema.ts) say what
// to do in plain words, and they are the ones that count.
import { type FormEvent, startTransition, useActionState, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { formatDate } from "@/lib/format";
import {
  keepDealWithWaiverAction,
  logActivityAction,
  moveDealBackAction,
  removeDealFromPipelineAction,
  returnDealToProspectingAction,
  updateDealAction,
  waitingOnBuyerAction,
} from "@/lib/deals/actions";

type AnyResult = ActionResult<unknown>;
type Report = (result: AnyResult) => void;

export interface DealActionsProps {
  dealId: number;
  dealName: string;
  version: number;
  isOpen: boolean;
  stageName: string;
  previousStageName: string | null;
  canWaive: boolean;
  nextStep: string | null;
  /** "YYYY-MM-DD" or "" */
  expectedCloseDate: string;
  amount: string;
  /** The as-of day, "YYYY-MM-DD": waiver dates count from it. */
  asOfDay: string;
  latestKeepDay: string;
  latestWaitDay: string;
  maxKeepWaiverDays: number;
  /** The organisation's fixed as-of day ("YYYY-MM-DD") when it reviews an earlier date; changes are recorded on it. */
  fixedAsOfDay?: string | null;
}

/** One action's form state: submit without React's automatic form reset, report the result upwards. */
function useDealForm(
  action: (formData: FormData) => Promise<AnyResult>,
  report: Report,
  options: { prepare?: (formData: FormData) => void; resetOnSuccess?: boolean } = {},
) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, dispatch, pending] = useActionState(async (_previous: AnyResult | null, formData: FormData) => {
    const result = await action(formData);
    report(result);
    if (result.ok && options.resetOnSuccess) {
      formRef.current?.reset();
      // Done: fold the section away; the status line above says what happened.
      formRef.current?.closest("details")?.removeAttribute("open");
    }
    return result;
  }, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    options.prepare?.(formData);
    startTransition(() => dispatch(formData));
  };
  const errors = (field: string) => (state && !state.ok ? state.fieldErrors?.[field] : undefined);
  return { formRef, onSubmit, pending, errors };
}

function invalid(errors: string[] | undefined, id: string) {
  return errors ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}

function Hidden({ dealId, version }: { dealId: number; version?: number }) {
  return (
    <>
      <input type="hidden" name="dealId" value={dealId} />
      {version === undefined ? null : <input type="hidden" name="version" value={version} />}
    </>
  );
}

function ActionSection({
  title,
  children,
  testId,
  defaultOpen = false,
}: {
  title: string;
  children: React.ReactNode;
  testId: string;
  defaultOpen?: boolean;
}) {
  return (
    <details className="group rounded-md border border-slate-200 bg-white" data-testid={testId} open={defaultOpen}>
      <summary className="cursor-pointer rounded-md px-3 py-2 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-blue-700">
        {title}
      </summary>
      <div className="border-t border-slate-200 px-3 py-3">{children}</div>
    </details>
  );
}

function ReasonField({
  errors,
  label = "Reason",
  hint,
  defaultValue,
  required = true,
}: {
  errors?: string[];
  label?: string;
  hint?: string;
  defaultValue?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <Field id={id} label={label} errors={errors} hint={hint}>
      <textarea
        id={id}
        name="reason"
        rows={2}
        required={required}
        maxLength={500}
        defaultValue={defaultValue}
        className={`${inputClass} w-full`}
        {...invalid(errors, id)}
      />
    </Field>
  );
}

export function DealActions(props: DealActionsProps) {
  const [last, setLast] = useState<AnyResult | null>(null);
  const report: Report = (result) => setLast(result);
  return (
    <section aria-labelledby="actions-heading" className="space-y-2">
      <h2 id="actions-heading" className="text-lg font-semibold">
        Act on this deal
      </h2>
      {props.fixedAsOfDay ? (
        <p className="text-sm text-slate-700" data-testid="recorded-on-as-of">
          The organisation reviews its pipeline as of {formatDate(new Date(`${props.fixedAsOfDay}T00:00:00.000Z`))}:
          moves, removals, waivers and edits made here are recorded in the deal&rsquo;s history on that date, so the
          next review sees them. The audit log keeps the real time.
        </p>
      ) : null}
      <div aria-live="polite">
        {last ? (
          last.ok ? (
            <p
              role="status"
              className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950"
            >
              {last.message ?? "Saved."}
            </p>
          ) : (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
              <p>{last.message}</p>
              {last.fieldErrors?.form ? <p>{last.fieldErrors.form.join(" ")}</p> : null}
              {last.fieldErrors?.dealId || last.fieldErrors?.version ? (
                <p>{[...(last.fieldErrors.dealId ?? []), ...(last.fieldErrors.version ?? [])].join(" ")}</p>
              ) : null}
            </div>
          )
        ) : null}
      </div>
      <LogActivityForm {...props} report={report} />
      <UpdateDealForm {...props} report={report} />
      {props.isOpen ? (
        <>
          <WaitingOnBuyerForm {...props} report={report} />
          {props.canWaive ? <KeepWithWaiverForm {...props} report={report} /> : null}
          <MoveBackForm {...props} report={report} />
          <ReturnToProspectingForm {...props} report={report} />
          <RemoveForm {...props} report={report} />
        </>
      ) : (
        <p className="text-sm text-slate-700">
          This deal is out of the pipeline, so it can no longer be moved, kept or removed. Activities and details can
          still be recorded.
        </p>
      )}
    </section>
  );
}

type FormProps = DealActionsProps & { report: Report };

/** "YYYY-MM-DDTHH:mm" in the browser's zone, for a datetime-local input. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function LogActivityForm({ dealId, report }: FormProps) {
  const form = useDealForm(logActivityAction, report, {
    resetOnSuccess: true,
    // The browser knows the person's time zone; the server gets an exact instant.
    prepare: (formData) => {
      const local = String(formData.get("at") ?? "");
      const instant = new Date(local);
      if (local && !Number.isNaN(instant.getTime())) formData.set("at", instant.toISOString());
    },
  });
  const [now, setNow] = useState("");
  useEffect(() => setNow(localInputValue(new Date())), []);
  const typeId = useId();
  const atId = useId();
  const summaryId = useId();
  const sideErrors = form.errors("side");
  return (
    <ActionSection title="Log an activity" testId="action-log-activity">
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <Hidden dealId={dealId} />
        <Field id={typeId} label="Kind of activity" errors={form.errors("type")}>
          <select
            id={typeId}
            name="type"
            defaultValue="email"
            className={inputClass}
            {...invalid(form.errors("type"), typeId)}
          >
            <option value="call">Call</option>
            <option value="email">Email</option>
            <option value="meeting">Meeting</option>
            <option value="note">Note</option>
            <option value="task">Task</option>
            <option value="other">Other</option>
          </select>
        </Field>
        <fieldset className="space-y-1" aria-describedby={sideErrors ? `side-${dealId}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Whose effort was it?</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="side" value="buyer" required className="mt-1" />
            <span>
              <strong>The buyer's</strong> — they replied, called us, met with us, or returned a document. This is what
              shows a deal is alive.
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="side" value="seller" className="mt-1" />
            <span>
              <strong>Ours</strong> — we called, emailed or sent something. It keeps the deal followed up, but is not
              progress on its own.
            </span>
          </label>
          {sideErrors ? (
            <p id={`side-${dealId}-error`} role="alert" className="text-sm text-red-800">
              {sideErrors.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <Field id={atId} label="When" errors={form.errors("at")} hint="Your local time.">
          <input
            id={atId}
            name="at"
            type="datetime-local"
            required
            value={now}
            onChange={(event) => setNow(event.target.value)}
            className={inputClass}
            {...invalid(form.errors("at"), atId)}
          />
        </Field>
        <Field id={summaryId} label="Summary (optional)" errors={form.errors("summary")}>
          <textarea
            id={summaryId}
            name="summary"
            rows={2}
            maxLength={2000}
            className={`${inputClass} w-full`}
            {...invalid(form.errors("summary"), summaryId)}
          />
        </Field>
        <Button type="submit" variant="primary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Log activity"}
        </Button>
      </form>
    </ActionSection>
  );
}

function UpdateDealForm({ dealId, version, nextStep, expectedCloseDate, amount, report }: FormProps) {
  const form = useDealForm(updateDealAction, report);
  const nextId = useId();
  const closeId = useId();
  const amountId = useId();
  return (
    <ActionSection title="Update next step, close date or amount" testId="action-update">
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <Hidden dealId={dealId} version={version} />
        <Field id={nextId} label="Next step" errors={form.errors("nextStep")}>
          <input
            id={nextId}
            name="nextStep"
            defaultValue={nextStep ?? ""}
            maxLength={500}
            className={`${inputClass} w-full`}
            {...invalid(form.errors("nextStep"), nextId)}
          />
        </Field>
        <Field
          id={closeId}
          label="Expected close date"
          errors={form.errors("expectedCloseDate")}
          hint="A later date than before counts as a push."
        >
          <input
            id={closeId}
            name="expectedCloseDate"
            type="date"
            defaultValue={expectedCloseDate}
            className={inputClass}
            {...invalid(form.errors("expectedCloseDate"), closeId)}
          />
        </Field>
        <Field id={amountId} label="Amount" errors={form.errors("amount")}>
          <input
            id={amountId}
            name="amount"
            inputMode="decimal"
            defaultValue={amount}
            className={inputClass}
            {...invalid(form.errors("amount"), amountId)}
          />
        </Field>
        <Button type="submit" variant="primary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Save changes"}
        </Button>
      </form>
    </ActionSection>
  );
}

function WaitingOnBuyerForm({ dealId, version, asOfDay, latestWaitDay, report }: FormProps) {
  const form = useDealForm(waitingOnBuyerAction, report, { resetOnSuccess: true });
  const untilId = useId();
  return (
    <ActionSection title="Waiting on the buyer until…" testId="action-waiting">
      <p className="mb-2 text-sm text-slate-700">
        The buyer asked for time. Until that day nobody is nudged to follow up; the deal's other flags still apply.
      </p>
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <Hidden dealId={dealId} version={version} />
        <Field id={untilId} label="Until (the day the buyer said to come back)" errors={form.errors("until")}>
          <input
            id={untilId}
            name="until"
            type="date"
            required
            min={asOfDay}
            max={latestWaitDay}
            className={inputClass}
            {...invalid(form.errors("until"), untilId)}
          />
        </Field>
        <ReasonField
          errors={form.errors("reason")}
          hint="What the buyer said, e.g. “Budget review, call back in May”."
        />
        <Button type="submit" variant="primary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Record waiting on buyer"}
        </Button>
      </form>
    </ActionSection>
  );
}

function KeepWithWaiverForm({ dealId, version, asOfDay, latestKeepDay, maxKeepWaiverDays, report }: FormProps) {
  const form = useDealForm(keepDealWithWaiverAction, report, { resetOnSuccess: true });
  const untilId = useId();
  return (
    <ActionSection title="Keep it with a waiver (managers)" testId="action-keep">
      <p className="mb-2 text-sm text-slate-700">
        You judge the deal alive despite its flags: all its flags are held back until the date (at most{" "}
        {maxKeepWaiverDays} days), and the waiver is shown wherever the deal is.
      </p>
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <Hidden dealId={dealId} version={version} />
        <Field id={untilId} label="Keep until" errors={form.errors("until")} hint={`Latest ${latestKeepDay}.`}>
          <input
            id={untilId}
            name="until"
            type="date"
            required
            min={asOfDay}
            max={latestKeepDay}
            className={inputClass}
            {...invalid(form.errors("until"), untilId)}
          />
        </Field>
        <ReasonField errors={form.errors("reason")} hint="Why it is alive, in a sentence the team will read." />
        <Button type="submit" variant="primary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Keep with waiver"}
        </Button>
      </form>
    </ActionSection>
  );
}

function MoveBackForm({ dealId, version, stageName, previousStageName, report }: FormProps) {
  const form = useDealForm(moveDealBackAction, report, { resetOnSuccess: true });
  return (
    <ActionSection title="Move back a stage" testId="action-move-back">
      {previousStageName ? (
        <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
          <p className="text-sm text-slate-700">
            From <strong>{stageName}</strong> back to <strong>{previousStageName}</strong>. Its time in stage restarts;
            its age keeps counting from when it opened.
          </p>
          <Hidden dealId={dealId} version={version} />
          <ReasonField errors={form.errors("reason")} hint="Kept in the deal's history." />
          <Button type="submit" variant="primary" disabled={form.pending}>
            {form.pending ? "Moving…" : `Move back to ${previousStageName}`}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-700">
          It is already in the first stage ({stageName}), so it cannot move back. Return it to prospecting instead.
        </p>
      )}
    </ActionSection>
  );
}

function ReturnToProspectingForm({ dealId, version, report }: FormProps) {
  const form = useDealForm(returnDealToProspectingAction, report, { resetOnSuccess: true });
  return (
    <ActionSection title="Return to prospecting" testId="action-prospect">
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <p className="text-sm text-slate-700">
          The deal leaves the pipeline (not counted, not reviewed). If it comes back later it is reopened as a new
          opportunity; this history stays.
        </p>
        <Hidden dealId={dealId} version={version} />
        <ReasonField errors={form.errors("reason")} hint="Kept in the deal's history." />
        <Button type="submit" variant="primary" disabled={form.pending}>
          {form.pending ? "Saving…" : "Return to prospecting"}
        </Button>
      </form>
    </ActionSection>
  );
}

function RemoveForm({ dealId, version, report }: FormProps) {
  const form = useDealForm(removeDealFromPipelineAction, report, { resetOnSuccess: true });
  return (
    <ActionSection title="Remove from the pipeline (closed lost)" testId="action-remove">
      <form ref={form.formRef} onSubmit={form.onSubmit} className="space-y-3" noValidate>
        <p className="text-sm text-slate-700">The deal is closed as lost with your reason and counts as a loss.</p>
        <Hidden dealId={dealId} version={version} />
        <ReasonField errors={form.errors("reason")} defaultValue="stale — removed in review" />
        <Button type="submit" variant="danger" disabled={form.pending}>
          {form.pending ? "Removing…" : "Remove from pipeline"}
        </Button>
      </form>
    </ActionSection>
  );
}
