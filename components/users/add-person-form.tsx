"use client";
// Adds a person who can sign in at once: name, email, role, team and a first
// password the admin gives them (hashed by the sign-in library, never shown again).
import { useEffect, useState } from "react";
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { createUserAction } from "@/lib/users/actions";
import type { TeamChoice } from "@/lib/users/data";
import { MIN_PASSWORD_LENGTH } from "@/lib/users/schema";
import { PasswordInput } from "./password-input";
import { RoleTeamFields } from "./role-team-fields";

export function AddPersonForm({ teams }: { teams: TeamChoice[] }) {
  const [result, onSubmit, pending] = useFormAction(createUserAction);
  // A new, empty form after each person added.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (result?.ok) setGeneration((value) => value + 1);
  }, [result]);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-person-title" data-testid="add-person-form">
      <div key={generation} className="grid gap-4 sm:grid-cols-2">
        <TextField id="new-name" name="name" label="Name" autoComplete="off" errors={errors.name} />
        <TextField id="new-email" name="email" label="Email" type="email" autoComplete="off" errors={errors.email} />
        <RoleTeamFields
          idPrefix="new"
          teams={teams}
          errors={errors}
          initial={{ role: "rep", teamId: null, managesTeam: false }}
        />
        <PasswordInput
          id="new-password"
          label="First password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to them yourself; they sign in with their email and this password.`}
          errors={errors.password}
        />
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Adding…" : "Add person"}
        </Button>
        <FormResult result={result} />
      </div>
    </form>
  );
}

function TextField({
  id,
  name,
  label,
  type = "text",
  autoComplete,
  errors,
}: {
  id: string;
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  errors?: string[];
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        className={inputClass}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
