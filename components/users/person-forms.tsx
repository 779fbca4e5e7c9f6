"use client";
// The changes an admin can make to one person: role and team, a new password,
// and access (deactivate / reactivate). Each form says what will happen before
// it happens and what happened after.
import { useEffect, useRef, useState } from "react";
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { deactivateUserAction, reactivateUserAction, resetPasswordAction, updateUserAction } from "@/lib/users/actions";
import type { PersonRow, TeamChoice } from "@/lib/users/data";
import { MIN_PASSWORD_LENGTH } from "@/lib/users/schema";
import { PasswordInput } from "./password-input";
import { RoleTeamFields } from "./role-team-fields";

export function RoleTeamForm({ person, teams, isYou }: { person: PersonRow; teams: TeamChoice[]; isYou: boolean }) {
  const [result, onSubmit, pending] = useFormAction(updateUserAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="role-title" data-testid="role-team-form">
      <input type="hidden" name="userId" value={person.id} />
      <div className="grid gap-4 sm:grid-cols-2">
        <RoleTeamFields
          idPrefix="person"
          teams={teams}
          errors={errors}
          initial={{
            role: person.role,
            teamId: person.team?.id ?? null,
            managesTeam: person.manages !== null && person.manages.id === person.team?.id,
          }}
        />
      </div>
      {isYou && person.role === "admin" ? (
        <p className="mt-2 text-xs text-slate-600">
          This is you: without the admin role you can no longer open this page. The last active administrator cannot
          give it up.
        </p>
      ) : null}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : "Save role and team"}
        </Button>
        <FormResult result={result} />
      </div>
    </form>
  );
}

export function PasswordForm({ person, isYou }: { person: PersonRow; isYou: boolean }) {
  const [result, onSubmit, pending] = useFormAction(resetPasswordAction);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="password-title" data-testid="password-form">
      <input type="hidden" name="userId" value={person.id} />
      <div className="max-w-md">
        <PasswordInput
          id="person-password"
          label={person.hasPassword ? "New password" : "First password"}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. ${
            isYou
              ? "You will be signed out and sign in again with it."
              : "Their open sessions end: they sign in again with the new password."
          }`}
          errors={errors.password}
        />
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : person.hasPassword ? "Set new password" : "Set password"}
        </Button>
        <FormResult result={result} />
      </div>
    </form>
  );
}

/** Deactivate asks once more (it signs them out at once); reactivate does not. */
export function AccessForm({ person, isYou }: { person: PersonRow; isYou: boolean }) {
  const [deactivateResult, onDeactivate, deactivating] = useFormAction(deactivateUserAction);
  const [reactivateResult, onReactivate, reactivating] = useFormAction(reactivateUserAction);
  const [confirming, setConfirming] = useState(false);
  // The page re-renders with the new state; the outcome of the latest request is the one to show.
  const [latest, setLatest] = useState<"deactivate" | "reactivate" | null>(null);
  const result = latest === "deactivate" ? deactivateResult : latest === "reactivate" ? reactivateResult : null;
  const confirmId = `confirm-deactivate-${person.id}`;
  useEffect(() => {
    if (confirming) document.getElementById(confirmId)?.focus();
  }, [confirming, confirmId]);

  if (!person.active) {
    return (
      <form
        onSubmit={(event) => {
          setLatest("reactivate");
          onReactivate(event);
        }}
        aria-labelledby="access-title"
        data-testid="access-form"
      >
        <input type="hidden" name="userId" value={person.id} />
        <p className="text-sm text-slate-700">
          {person.name} is deactivated: they cannot sign in. Their deals and history keep their name.
          {person.hasPassword ? " Reactivated, they sign in with their old password." : " They have no password yet."}
        </p>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={reactivating}>
            {reactivating ? "Reactivating…" : `Reactivate ${person.name}`}
          </Button>
          <FormResult result={result} />
        </div>
      </form>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        if (!confirming) {
          event.preventDefault();
          setConfirming(true);
          return;
        }
        setConfirming(false);
        setLatest("deactivate");
        onDeactivate(event);
      }}
      aria-labelledby="access-title"
      data-testid="access-form"
    >
      <input type="hidden" name="userId" value={person.id} />
      <p className="text-sm text-slate-700">
        Deactivating signs {isYou ? "you" : person.name} out at once and stops them signing in. Nothing is deleted:
        their deals, decisions and history keep their name, and they can be reactivated.
        {person.manages ? ` They will stop managing ${person.manages.name}.` : ""}
      </p>
      {confirming ? (
        <fieldset className="mt-3 flex flex-wrap items-center gap-3">
          <legend className="float-left mr-1 text-sm font-medium text-slate-900">
            {isYou ? "Deactivate yourself and sign out now?" : `Deactivate ${person.name} now?`}
          </legend>
          <Button id={confirmId} type="submit" variant="danger" disabled={deactivating}>
            Yes, deactivate
          </Button>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
        </fieldset>
      ) : (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button type="submit" variant="danger" disabled={deactivating}>
            {deactivating ? "Deactivating…" : `Deactivate ${person.name}`}
          </Button>
          <FormResult result={result} />
        </div>
      )}
    </form>
  );
}
