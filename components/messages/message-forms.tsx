"use client";
// The forms of the message settings: the organisation's delivery switch and
// defaults, one team's meeting day and chat webhook, "send me a test", and a
// person's own choices (/account). Each posts to a server action and says
// what happened next to its button.
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import {
  saveMyMessagePreferenceAction,
  saveOrgMessagingAction,
  saveTeamMessagingAction,
  sendMeATestAction,
} from "@/lib/messages/actions";
import { WEEKDAYS } from "@/lib/messages/schedule";

function TimeZoneOptions({ id, zones }: { id: string; zones: readonly string[] }) {
  return (
    <datalist id={id}>
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}

export function OrgMessagingForm({
  deliveryEnabled,
  defaultTimeZone,
  defaultLocale,
  zones,
}: {
  deliveryEnabled: boolean;
  defaultTimeZone: string;
  defaultLocale: string;
  zones: readonly string[];
}) {
  const [result, onSubmit, pending] = useFormAction(saveOrgMessagingAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="deliveryEnabled" defaultChecked={deliveryEnabled} />
        Send the weekly messages when they are due (rep digest on the meeting day, manager brief the day before)
      </label>
      <div className="flex flex-wrap gap-4">
        <Field id="default-time-zone" label="Default time zone" errors={errors?.defaultTimeZone}>
          <input
            id="default-time-zone"
            name="defaultTimeZone"
            list="time-zones"
            defaultValue={defaultTimeZone}
            className={inputClass}
          />
        </Field>
        <Field id="default-locale" label="Default date format (language tag)" errors={errors?.defaultLocale}>
          <input id="default-locale" name="defaultLocale" defaultValue={defaultLocale} className={inputClass} />
        </Field>
      </div>
      <TimeZoneOptions id="time-zones" zones={zones} />
      <div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : "Save delivery settings"}
        </Button>
      </div>
      <FormResult result={result} />
    </form>
  );
}

export function TeamMessagingForm({
  team,
}: {
  team: { id: string; name: string; managerName: string | null; meetingWeekday: number; webhookKind: string | null };
}) {
  const [result, onSubmit, pending] = useFormAction(saveTeamMessagingAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const prefix = `team-${team.id}`;
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="flex flex-wrap items-end gap-3"
      aria-label={`${team.name} messages`}
    >
      <input type="hidden" name="teamId" value={team.id} />
      <div className="w-40 text-sm">
        <div className="font-medium">{team.name}</div>
        <div className="text-slate-600">
          {team.managerName ? `Brief to ${team.managerName}` : "No manager: no brief"}
        </div>
      </div>
      <Field id={`${prefix}-day`} label="Meeting day" errors={errors?.meetingWeekday}>
        <select id={`${prefix}-day`} name="meetingWeekday" defaultValue={team.meetingWeekday} className={inputClass}>
          {WEEKDAYS.map((day, index) => (
            <option key={day} value={index}>
              {day}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${prefix}-chat`} label="Chat" errors={errors?.webhookKind}>
        <select
          id={`${prefix}-chat`}
          name="webhookKind"
          defaultValue={team.webhookKind ?? "slack"}
          className={inputClass}
        >
          <option value="slack">Slack</option>
          <option value="teams">Microsoft Teams</option>
        </select>
      </Field>
      <Field
        id={`${prefix}-webhook`}
        label={team.webhookKind ? "Webhook set — paste a new one to replace it" : "Incoming webhook address (optional)"}
        errors={errors?.webhookUrl}
      >
        <input
          id={`${prefix}-webhook`}
          name="webhookUrl"
          type="password"
          autoComplete="off"
          placeholder={team.webhookKind ? "•••••••• (kept)" : "https://hooks.slack.com/…"}
          className={`${inputClass} w-72`}
        />
      </Field>
      {team.webhookKind ? (
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" name="removeWebhook" /> Remove the webhook
        </label>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <FormResult result={result} />
    </form>
  );
}

export function SendTestForm({ userId, kind, personName }: { userId: string; kind: string; personName: string }) {
  const [result, onSubmit, pending] = useFormAction(sendMeATestAction);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="kind" value={kind} />
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Sending…" : "Send me a test"}
      </Button>
      <span className="text-sm text-slate-600">
        {personName}'s message, to your own address, marked “[Test]”. Works while delivery is off.
      </span>
      <FormResult result={result} />
    </form>
  );
}

export function MyMessagesForm({
  preference,
  zones,
}: {
  preference: {
    repDigest: boolean;
    managerBrief: boolean;
    cleanNote: boolean;
    timeZone: string | null;
    locale: string | null;
    defaultTimeZone: string;
    defaultLocale: string;
    getsDigest: boolean;
    getsBrief: boolean;
  };
  zones: readonly string[];
}) {
  const [result, onSubmit, pending] = useFormAction(saveMyMessagePreferenceAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-2xl flex-col gap-3">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-medium">Messages</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="repDigest" defaultChecked={preference.repDigest} />
          Weekly digest of my flagged deals (the morning of the team meeting)
          {preference.getsDigest ? "" : " — you get it once you are a rep in a team"}
        </label>
        <label className="ml-6 flex items-center gap-2 text-sm">
          <input type="checkbox" name="cleanNote" defaultChecked={preference.cleanNote} />
          Also when nothing is flagged (a short “your pipeline is clean” note)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="managerBrief" defaultChecked={preference.managerBrief} />
          Pre-meeting brief for my team (the day before the meeting)
          {preference.getsBrief ? "" : " — you get it once you manage a team"}
        </label>
      </fieldset>
      <div className="flex flex-wrap gap-4">
        <Field
          id="my-time-zone"
          label="My time zone"
          hint={`Empty: the organisation's (${preference.defaultTimeZone}).`}
          errors={errors?.timeZone}
        >
          <input
            id="my-time-zone"
            name="timeZone"
            list="my-time-zones"
            defaultValue={preference.timeZone ?? ""}
            className={inputClass}
          />
        </Field>
        <Field
          id="my-locale"
          label="My date format (language tag)"
          hint={`Empty: the organisation's (${preference.defaultLocale}).`}
          errors={errors?.locale}
        >
          <input id="my-locale" name="locale" defaultValue={preference.locale ?? ""} className={inputClass} />
        </Field>
      </div>
      <TimeZoneOptions id="my-time-zones" zones={zones} />
      <div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : "Save my choices"}
        </Button>
      </div>
      <FormResult result={result} />
    </form>
  );
}
