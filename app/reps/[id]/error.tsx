"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function RepPipelineError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="this rep's pipeline" error={error} reset={reset} />;
}
