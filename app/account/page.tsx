// /account: a person's own choices about the weekly messages (anyone signed
// in, for themselves — the admin-only /settings/messages is for the whole
// organisation).
import type { Metadata } from "next";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { MyMessagesForm } from "@/components/messages/message-forms";
import { AppShell } from "@/components/shell/app-shell";
import { getViewer } from "@/lib/auth/viewer";
import { getMessagePreference, getMessagingConfig } from "@/lib/messages/data";
import { getOrgContext } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My account" };

export default async function AccountPage() {
  const [viewer, org] = await Promise.all([getViewer().catch(noViewer), getOrgContext()]);
  if (!viewer) return <NoOrganisationYet />;
  const preference = await getMessagePreference(viewer.userId, await getMessagingConfig());
  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <h1 className="mb-1 text-2xl font-semibold">My account</h1>
      <p className="mb-6 text-sm text-slate-600">
        {viewer.name}. Your name, email and role change only through an administrator.
      </p>
      <MyMessagesForm preference={preference} zones={Intl.supportedValuesOf("timeZone")} />
    </AppShell>
  );
}
