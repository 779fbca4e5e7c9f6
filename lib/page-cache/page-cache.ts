// A per-process cache of page data, for the pages many people ask for again
// and again (the overview, a rep's pipeline). An entry is found only under
// the same key AND the same data version (./data-version.ts), so any write
// makes every entry unreachable; it also lives at most MAX_AGE_MS, so
// figures that depend on the clock ("as of now", the last 7 days) never lag
// by more than that.
//
// Concurrent requests for the same key share one load: twenty people opening
// the overview at once cost one set of queries, not twenty.
import { LRUCache } from "lru-cache";

/** How long an entry may serve while nothing was written. */
export const MAX_AGE_MS = 60_000;
/** Entries kept per process (oldest used dropped first). */
export const MAX_ENTRIES = 500;

const globalForCache = globalThis as typeof globalThis & { __pipelinePageCache?: LRUCache<string, Promise<unknown>> };

function entries(): LRUCache<string, Promise<unknown>> {
  globalForCache.__pipelinePageCache ??= new LRUCache<string, Promise<unknown>>({
    max: MAX_ENTRIES,
    ttl: MAX_AGE_MS,
  });
  return globalForCache.__pipelinePageCache;
}

/**
 * The data under `key` read at `version`, loaded by `load` when not cached.
 * `key` must name everything the data depends on besides the database: who
 * is looking (their scope), the as-of day, the page's filters. A failed load
 * is not kept.
 */
export function cachedPageData<T>(key: string, version: string, load: () => Promise<T>): Promise<T> {
  const cache = entries();
  const fullKey = `${version}\u0000${key}`;
  const found = cache.get(fullKey) as Promise<T> | undefined;
  if (found) return found;
  const loading = load();
  cache.set(fullKey, loading);
  loading.catch(() => {
    if (cache.get(fullKey) === loading) cache.delete(fullKey);
  });
  return loading;
}

/** Empties the cache (tests; nothing in the app needs it: a write changes the version). */
export function clearPageCache(): void {
  entries().clear();
}
