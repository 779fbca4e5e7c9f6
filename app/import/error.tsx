"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function ImportError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="the import page" error={error} reset={reset} />;
}
