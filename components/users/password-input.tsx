"use client";
// A new password typed by an admin, with a "show" switch so they can check
// what they will give the person. Never pre-filled, never sent back.
import { useState } from "react";
import { inputClass } from "@/components/ui/field";

export function PasswordInput({
  id,
  label,
  hint,
  errors,
}: {
  id: string;
  label: string;
  hint: string;
  errors?: string[];
}) {
  const [visible, setVisible] = useState(false);
  const describedBy = [`${id}-hint`, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          name="password"
          type={visible ? "text" : "password"}
          autoComplete="new-password"
          spellCheck={false}
          className={`${inputClass} min-w-0 flex-1`}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy}
        />
        <label className="flex items-center gap-1 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={visible}
            onChange={(event) => setVisible(event.target.checked)}
            className="h-4 w-4 rounded border-slate-400"
          />
          Show<span className="sr-only"> the password</span>
        </label>
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {hint}
      </p>
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
