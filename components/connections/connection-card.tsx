"use client";
// One CRM on the connections page: its credentials form (the secret is never
// shown back — only whether one is saved), test, sync now, disconnect.
import { useRef } from "react";
import { FormResult } from "@/components/settings/form-result";
import { useFormAction } from "@/components/settings/use-form-action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { disconnectAction, saveConnectionAction, syncNowAction, testConnectionAction } from "@/lib/sync/actions";
import { SalesforceSignIn } from "./salesforce-sign-in";

export interface ConnectionCardProps {
  crm: "hubspot" | "pipedrive" | "salesforce";
  label: string;
  connected: boolean;
  fromEnvironment: boolean;
  settings: { flow?: string; clientId?: string; username?: string; loginUrl?: string; instanceUrl?: string };
}

const SECRET_LABEL = {
  hubspot: "Private app access token",
  pipedrive: "API token",
  salesforce: "Private key of the connected app's certificate (PEM): paste it, or choose the key file",
};

const SECRET_HELP = {
  hubspot:
    "HubSpot → Settings → Integrations → Private apps: an app with the read scopes for deals, owners and engagements (crm.objects.deals.read, crm.objects.owners.read, sales-email-read…).",
  pipedrive: "Pipedrive → Personal preferences → API: the token of a user who sees every deal.",
  salesforce:
    "JWT bearer flow (a server, no person signed in): the connected app's consumer key, the username it acts as, and the private key whose certificate the app holds.",
};

export function ConnectionCard({ crm, label, connected, fromEnvironment, settings }: ConnectionCardProps) {
  const [saved, onSave, saving] = useFormAction(saveConnectionAction);
  const [tested, onTest, testing] = useFormAction(testConnectionAction);
  const [synced, onSync, syncing] = useFormAction(syncNowAction);
  const [dropped, onDisconnect, dropping] = useFormAction(disconnectAction);
  const errors = saved && !saved.ok ? saved.fieldErrors : undefined;
  const id = (name: string) => `${crm}-${name}`;
  const keyText = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">
        {connected && crm === "salesforce"
          ? `Connected${settings.instanceUrl ? ` to ${settings.instanceUrl}` : ""} by ${settings.flow === "web" ? "a person's sign-in (web-server flow)" : "the JWT bearer flow"}: the secrets are saved encrypted and never shown again. Connect again below to replace them.`
          : connected
            ? "Connected: the secret is saved encrypted and is never shown again. Paste a new one to replace it."
            : fromEnvironment
              ? "No saved connection: `npm run sync` uses the credentials in the server's environment."
              : "Not connected."}
      </p>
      {crm === "salesforce" ? (
        <SalesforceSignIn
          clientId={settings.flow === "web" ? settings.clientId : undefined}
          loginUrl={settings.flow === "web" ? settings.loginUrl : undefined}
        />
      ) : null}
      <form onSubmit={onSave} noValidate className="flex flex-col gap-3" aria-label={`${label} credentials`}>
        {crm === "salesforce" ? (
          <h3 className="font-medium">Or a server signs in by itself (JWT bearer flow)</h3>
        ) : null}
        <input type="hidden" name="crm" value={crm} />
        {crm === "salesforce" ? (
          <>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor={id("client")}>
              Consumer key (client id)
              <input
                id={id("client")}
                name="clientId"
                defaultValue={settings.flow === "jwt" ? (settings.clientId ?? "") : ""}
                className={inputClass}
              />
            </label>
            {errors?.clientId ? <p className="text-sm text-red-800">{errors.clientId.join(" ")}</p> : null}
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor={id("user")}>
              Username
              <input id={id("user")} name="username" defaultValue={settings.username ?? ""} className={inputClass} />
            </label>
            {errors?.username ? <p className="text-sm text-red-800">{errors.username.join(" ")}</p> : null}
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor={id("login")}>
              Login address (empty: https://login.salesforce.com)
              <input
                id={id("login")}
                name="loginUrl"
                defaultValue={settings.flow === "jwt" ? (settings.loginUrl ?? "") : ""}
                className={inputClass}
              />
            </label>
          </>
        ) : null}
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800" htmlFor={id("secret")}>
          {SECRET_LABEL[crm]}
          {crm === "salesforce" ? (
            <>
              <textarea
                ref={keyText}
                id={id("secret")}
                name="secret"
                rows={4}
                autoComplete="off"
                className={inputClass}
              />
              {/* The key file is read here, in the browser, into the field above: it is sent only with the form. */}
              <input
                type="file"
                accept=".key,.pem,.txt"
                aria-label="Private key file"
                onChange={async (event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file && keyText.current) keyText.current.value = await file.text();
                }}
                className="text-sm"
              />
            </>
          ) : (
            <input id={id("secret")} name="secret" type="password" autoComplete="off" className={inputClass} />
          )}
        </label>
        <p className="text-xs text-slate-600">{SECRET_HELP[crm]}</p>
        {errors?.secret ? <p className="text-sm text-red-800">{errors.secret.join(" ")}</p> : null}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="resetCursor" value="true" /> Start the next sync from the beginning (another
          account)
        </label>
        <div>
          <Button type="submit" variant="primary" disabled={saving}>
            {saving ? "Checking…" : connected ? "Test and replace" : "Test and save"}
          </Button>
        </div>
        <FormResult result={saved} />
      </form>
      <div className="flex flex-wrap gap-3">
        <form onSubmit={onTest}>
          <input type="hidden" name="crm" value={crm} />
          <Button type="submit" disabled={testing || !connected}>
            {testing ? "Reading one deal…" : "Test connection"}
          </Button>
        </form>
        <form onSubmit={onSync}>
          <input type="hidden" name="crm" value={crm} />
          <Button type="submit" variant="primary" disabled={syncing || (!connected && !fromEnvironment)}>
            {syncing ? "Starting…" : `Sync ${label} now`}
          </Button>
        </form>
        {connected ? (
          <form onSubmit={onDisconnect}>
            <input type="hidden" name="crm" value={crm} />
            <Button type="submit" variant="danger" disabled={dropping}>
              Disconnect
            </Button>
          </form>
        ) : null}
      </div>
      <FormResult result={tested ?? synced ?? dropped} />
    </div>
  );
}
