// /settings/messages (admin): whether the weekly messages are sent, each
// team's meeting day and chat webhook, a preview of any person's message as
// they would get it for their next meeting, "send me a test", and the record
// of recent sends.
import type { Metadata } from "next";
import Link from "next/link";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { OrgMessagingForm, SendTestForm, TeamMessagingForm } from "@/components/messages/message-forms";
import { AppShell } from "@/components/shell/app-shell";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { Refusal } from "@/components/ui/refusal";
import { getViewer } from "@/lib/auth/viewer";
import { getMessagingConfig, listPreviewPeople, listRecentDeliveries, listTeamMessaging } from "@/lib/messages/data";
import { previewMessage } from "@/lib/messages/send";
import { appUrl, mailSettingsFromEnv } from "@/lib/messages/transport";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Messages — Settings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const KIND_LABEL = { "rep-digest": "Rep digest", "manager-brief": "Manager brief", test: "Test" } as Record<
  string,
  string
>;

export default async function MessagesSettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer().catch(noViewer), getOrgContext(), searchParams]);
  if (!viewer) return <NoOrganisationYet />;
  if (viewer.role !== "admin") {
    return (
      <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
        <Refusal
          title="Only administrators manage the weekly messages"
          back={{ href: "/account", label: "Your own message choices" }}
        >
          You can turn your own digest or brief off, and pick your time zone, on your account page.
        </Refusal>
      </AppShell>
    );
  }
  const [config, teams, people, deliveries] = await Promise.all([
    getMessagingConfig(),
    listTeamMessaging(),
    listPreviewPeople(),
    listRecentDeliveries(),
  ]);
  const mail = mailSettingsFromEnv();
  const personId = typeof params.person === "string" ? params.person : (people[0]?.id ?? "");
  const chosen = people.find((person) => person.id === personId) ?? null;
  const preview = chosen ? await previewMessage(chosen.id, chosen.kind, new Date()) : null;
  const zones = Intl.supportedValuesOf("timeZone");

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-6">
        <p className="text-sm">
          <Link href="/settings" className="text-blue-800 underline">
            Settings
          </Link>{" "}
          › Messages
        </p>
        <h1 className="text-2xl font-semibold">Weekly messages</h1>
        <p className="text-sm text-slate-600">
          Each rep gets a digest of their flagged deals on the morning of their team's meeting; each manager gets a
          brief the day before. People turn their own messages off on their{" "}
          <Link href="/account" className="text-blue-800 underline">
            account page
          </Link>
          .
        </p>
      </div>

      <section aria-labelledby="delivery-title" className="mb-10">
        <h2 id="delivery-title" className="mb-2 text-lg font-semibold">
          Delivery
        </h2>
        <p className="mb-3 text-sm text-slate-700" data-testid="smtp-status">
          {"problem" in mail
            ? mail.problem
            : `Email goes through ${mail.host}:${mail.port} (TLS: ${mail.tls}) from ${mail.from}; links open ${appUrl()}.`}{" "}
          {config.deliveryEnabled
            ? ""
            : "Delivery is off: nothing is sent. Preview with npm run digest -- --dry-run --out <dir>."}
        </p>
        <OrgMessagingForm
          deliveryEnabled={config.deliveryEnabled}
          defaultTimeZone={config.defaultTimeZone}
          defaultLocale={config.defaultLocale}
          zones={zones}
        />
      </section>

      <section aria-labelledby="teams-title" className="mb-10">
        <h2 id="teams-title" className="mb-2 text-lg font-semibold">
          Teams
        </h2>
        {teams.length === 0 ? (
          <EmptyState title="No teams yet">Teams come with the people import or the people screen.</EmptyState>
        ) : (
          <ul className="flex flex-col gap-4">
            {teams.map((team) => (
              <li key={team.id}>
                <TeamMessagingForm team={team} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="preview-title" className="mb-10">
        <h2 id="preview-title" className="mb-2 text-lg font-semibold">
          Preview
        </h2>
        {people.length === 0 ? (
          <EmptyState title="Nobody gets a message yet">
            Reps in a team get the digest; team managers the brief.
          </EmptyState>
        ) : (
          <>
            <form method="get" className="mb-3 flex items-end gap-2">
              <div className="flex flex-col gap-1">
                <label htmlFor="preview-person" className="text-sm font-medium">
                  Show the message as this person gets it
                </label>
                <select id="preview-person" name="person" defaultValue={personId} className={inputClass}>
                  {people.map((person) => (
                    <option key={person.id} value={person.id}>
                      {person.name} — {KIND_LABEL[person.kind]} ({person.teamName})
                    </option>
                  ))}
                </select>
              </div>
              <Button type="submit">Show</Button>
            </form>
            {chosen && preview ? (
              <div className="flex flex-col gap-3" data-testid="message-preview">
                <p className="text-sm">
                  To {preview.person.name} &lt;{preview.person.email}&gt; · dates in {preview.person.timeZone},{" "}
                  {preview.person.locale}
                </p>
                {preview.rendered ? (
                  <>
                    <p className="font-medium" data-testid="preview-subject">
                      Subject: {preview.rendered.subject}
                    </p>
                    <iframe
                      title={`${KIND_LABEL[chosen.kind]} for ${chosen.name}`}
                      srcDoc={preview.rendered.html}
                      sandbox=""
                      className="h-[32rem] w-full rounded border border-slate-300 bg-white"
                    />
                    <details>
                      <summary className="cursor-pointer text-sm">Plain-text part</summary>
                      <pre className="whitespace-pre-wrap text-xs" data-testid="preview-text">
                        {preview.rendered.text}
                      </pre>
                    </details>
                  </>
                ) : (
                  <p className="text-sm">
                    Nothing is flagged for {chosen.name} and they chose no clean-pipeline note: they get no message this
                    week.
                  </p>
                )}
                <SendTestForm userId={chosen.id} kind={chosen.kind} personName={chosen.name} />
              </div>
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="sends-title" className="mb-10">
        <h2 id="sends-title" className="mb-2 text-lg font-semibold">
          Recent sends
        </h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing sent yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">The last 50 sends, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th className="py-1">Person</th>
                <th>Message</th>
                <th>For the meeting on</th>
                <th>To</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((row) => (
                <tr key={row.id} className="border-b border-slate-100 align-top">
                  <td className="py-1">{row.user.name}</td>
                  <td>{KIND_LABEL[row.kind] ?? row.kind}</td>
                  <td>{row.kind === "test" ? "—" : row.period}</td>
                  <td>{row.recipient}</td>
                  <td>
                    {row.status === "sent"
                      ? `Delivered ${row.sentAt?.toISOString().slice(0, 16).replace("T", " ")} UTC`
                      : row.status === "failed"
                        ? `Failed (${row.attempts}×): ${row.lastError} — retry at ${row.nextAttemptAt?.toISOString().slice(0, 16).replace("T", " ")} UTC`
                        : row.status === "gave-up"
                          ? `Not delivered: ${row.lastError}`
                          : "Sending…"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AppShell>
  );
}
