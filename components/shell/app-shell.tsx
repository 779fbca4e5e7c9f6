// The frame around every screen: the header (organisation, as-of date, who is
// looking, navigation) and the screen's own content.
import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import type { Viewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/format";

export function AppShell({
  viewer,
  asOf,
  asOfFixed,
  orgName,
  children,
}: {
  viewer: Viewer;
  asOf: Date;
  asOfFixed: boolean;
  orgName: string;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <AppHeader
        orgName={orgName}
        asOf={formatDate(asOf)}
        asOfFixed={asOfFixed}
        viewerName={viewer.name}
        role={viewer.role}
      />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
