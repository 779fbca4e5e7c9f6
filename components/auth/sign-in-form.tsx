"use client";
// Email + password sign-in through better-auth's endpoint (so its rate limit
// applies), with one-click demo buttons when the demo organisation is loaded.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { authClient } from "@/lib/auth/client";

export interface DemoSignIn {
  label: string;
  email: string;
}

export function SignInForm({
  next,
  demo,
}: {
  next: string;
  demo: { password: string; accounts: DemoSignIn[] } | null;
}) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn(withEmail: string, withPassword: string) {
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({ email: withEmail, password: withPassword });
    setPending(false);
    if (failure) {
      if (failure.status === 429) {
        // Two limits: this account's wrong passwords (the server says how long), or this address's attempts.
        setError(
          failure.code === "TOO_MANY_FAILED_SIGN_INS" && failure.message
            ? failure.message
            : "Too many sign-in attempts from here. Wait a few minutes, then try again.",
        );
      } else if (failure.status === 401 || failure.status === 400) {
        setError("That email and password do not match an active account. Check them and try again.");
      } else if (failure.status === 403 && /origin/i.test(failure.message ?? "")) {
        setError(
          `The server does not accept sign-ins from ${window.location.origin}. Open the app at the address your administrator gave you (BETTER_AUTH_URL), or ask them to add this one to TRUSTED_ORIGINS.`,
        );
      } else if (failure.status === 403) {
        setError(failure.message ?? "This account cannot sign in. Ask your administrator.");
      } else {
        setError("Sign-in failed because of an unexpected error. Try again in a moment.");
      }
      return;
    }
    router.replace(next);
    router.refresh();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void signIn(email.trim(), password);
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
        <Field id="email" label="Email">
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            className={inputClass}
          />
        </Field>
        <Field id="password" label="Password">
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            className={inputClass}
          />
        </Field>
        {error ? (
          <p
            id="sign-in-error"
            role="alert"
            className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900"
          >
            {error}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {demo ? (
        <section aria-labelledby="demo-heading" className="rounded-lg border border-blue-200 bg-blue-50 p-4">
          <h2 id="demo-heading" className="font-medium text-blue-950">
            Demo organisation
          </h2>
          <p className="mt-1 text-sm text-blue-950">
            Every demo account uses the password <code className="font-mono">{demo.password}</code>.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            {demo.accounts.map((account) => (
              <Button key={account.email} disabled={pending} onClick={() => void signIn(account.email, demo.password)}>
                {account.label}
              </Button>
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}
