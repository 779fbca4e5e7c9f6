"use client";
import { ScreenError } from "@/components/deals/screen-error";

export default function PeopleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ScreenError what="the people" error={error} reset={reset} />;
}
