"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function MyDealsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="your deals" error={error} reset={reset} />;
}
