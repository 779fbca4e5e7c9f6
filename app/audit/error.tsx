"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function AuditError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="the audit trail" error={error} reset={reset} />;
}
