"use client";
// The live preview's request loop, shared by the organisation's and a team's
// threshold forms: debounced, and a late answer never overwrites a newer one.
import { useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";

const DEBOUNCE_MS = 350;

/**
 * Asks `load` for a preview whenever `key` changes (null: nothing to preview,
 * e.g. a field is invalid). `load` is read when the timer fires, so it may be
 * a new function on every render.
 */
export function useLivePreview<T>(key: string | null, load: () => Promise<ActionResult<T>>) {
  const [preview, setPreview] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const latestRequest = useRef(0);
  const latestLoad = useRef(load);
  latestLoad.current = load;

  useEffect(() => {
    if (key === null) return;
    const request = ++latestRequest.current;
    setPreviewing(true);
    const timer = setTimeout(async () => {
      const result = await latestLoad.current().catch(() => null);
      if (request !== latestRequest.current) return;
      setPreviewing(false);
      if (result?.ok) {
        setPreview(result.data);
        setError(null);
      } else {
        setError(result?.message ?? "The preview could not be computed. Check the connection and try again.");
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  return { preview, error, previewing };
}
