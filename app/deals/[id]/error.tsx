"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function DealError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="this deal" error={error} reset={reset} />;
}
