"use client";
// Salesforce's web-server flow from the connections page: the admin enters
// the connected app's consumer key and secret, the browser goes to
// Salesforce to sign in and allow the app, and comes back to the callback,
// which saves the connection. The secret is never shown back.
import { useEffect } from "react";
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { startSalesforceSignInAction } from "@/lib/sync/actions";

export function SalesforceSignIn({ clientId, loginUrl }: { clientId?: string; loginUrl?: string }) {
  const [started, onStart, starting] = useFormAction(startSalesforceSignInAction);
  const errors = started && !started.ok ? started.fieldErrors : undefined;
  useEffect(() => {
    if (started?.ok) window.location.assign(started.data.url);
  }, [started]);
  return (
    <form onSubmit={onStart} noValidate className="flex flex-col gap-3" aria-labelledby="salesforce-web-title">
      <h3 id="salesforce-web-title" className="font-medium">
        Sign in with Salesforce (a person approves the app)
      </h3>
      <p className="text-xs text-slate-600">
        A connected app with OAuth enabled, the scopes “Manage user data via APIs (api)” and “Perform requests at any
        time (refresh_token, offline_access)”, and this site&apos;s /settings/connections/salesforce/callback as its
        callback URL.
      </p>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor="salesforce-web-client">
        Consumer key (client id)
        <input id="salesforce-web-client" name="clientId" defaultValue={clientId ?? ""} className={inputClass} />
      </label>
      {errors?.clientId ? <p className="text-sm text-red-800">{errors.clientId.join(" ")}</p> : null}
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor="salesforce-web-secret">
        Consumer secret
        <input
          id="salesforce-web-secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          className={inputClass}
        />
      </label>
      {errors?.clientSecret ? <p className="text-sm text-red-800">{errors.clientSecret.join(" ")}</p> : null}
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor="salesforce-web-login">
        Login address (empty: https://login.salesforce.com; a sandbox: https://test.salesforce.com)
        <input id="salesforce-web-login" name="loginUrl" defaultValue={loginUrl ?? ""} className={inputClass} />
      </label>
      {errors?.loginUrl ? <p className="text-sm text-red-800">{errors.loginUrl.join(" ")}</p> : null}
      <div>
        <Button type="submit" variant="primary" disabled={starting || Boolean(started?.ok)}>
          {starting || started?.ok ? "Opening Salesforce…" : "Sign in with Salesforce"}
        </Button>
      </div>
      <FormResult result={started} />
    </form>
  );
}
