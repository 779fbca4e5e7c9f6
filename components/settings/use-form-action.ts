"use client";
// Submits a form to a server action without React's automatic form reset, so a
// form refused for a bad value keeps what the person typed.
import { type FormEvent, startTransition, useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";

export function useFormAction<T>(
  action: (previous: unknown, form: FormData) => Promise<ActionResult<T>>,
): [ActionResult<T> | null, (event: FormEvent<HTMLFormElement>) => void, boolean] {
  const [result, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    if (submitter instanceof HTMLButtonElement && submitter.name) form.set(submitter.name, submitter.value);
    startTransition(() => dispatch(form));
  };
  return [result, onSubmit, pending];
}
