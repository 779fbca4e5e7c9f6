"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function PersonError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="this person" error={error} reset={reset} />;
}
