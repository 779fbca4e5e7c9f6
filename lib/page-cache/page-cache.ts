// A per-process cache of page data, for the pages many people ask for again
// and again (the overview, a rep's pipeline, "My deals", the flagged deals).
// An entry is found only under the same key AND the same data version
// (./data-version.ts), so any write makes every entry unreachable: data is
// never stale after a write.
//
// Besides writes, figures depend on the clock ("as of now", the last 7
// days), so an entry is fresh for about MAX_AGE_MS. Past that, the first
// request still gets it while ONE reload runs behind it, and the requests
// after the reload get the new data; an entry is never served older than
// MAX_AGE_MS + STALE_GRACE_MS. Why: entries loaded together (a server that
// just started, a write that moved the version) used to expire together, and
// every page then waited for its reload at once — under 20 people that
// minute's burst was the whole slowest 1% of the load test. Each entry's
// freshness also ends at a slightly different time (up to a fifth earlier),
// so reloads spread out instead of arriving in one burst.
//
// Concurrent requests for the same key share one load: twenty people opening
// the overview at once cost one set of queries, not twenty.
//
// Reloads run one at a time, behind the requests. Why: the embedded database
// answers one query at a time, and every request's first query (the data
// version) queued behind all the reloads due at once. Twenty people's entries,
// loaded together after their sign-ins, came due within the same 12 s and
// their ~60 reloads (pages and sessions) held the slowest 1% of the load
// test's second minute (issue 13). One reload at a time, with the event loop
// turned between them, lets a request wait behind one reload's query at most.
// That was not enough: a reload costs several pages' worth of work, and sixty
// back to back still halved the pages answered for 13 s. So after each reload
// the next waits RELOAD_PAUSE_FACTOR times as long as that one took: reloads
// take at most a fifth of the server's time, spread over ~20 s instead of
// crowded into a few. An entry is still never served older than
// MAX_AGE_MS + STALE_GRACE_MS: one still waiting then is dropped, and the next
// request loads it as any entry not cached.
import { LRUCache } from "lru-cache";

/** How long an entry serves as fresh while nothing was written (up to a fifth less, spread per entry). */
export const MAX_AGE_MS = 60_000;
/** How much longer an entry may still be served while its reload runs. */
export const STALE_GRACE_MS = 30_000;
/** After a reload, the next waits this many times as long as it took (reloads: at most 1/(1+4) of the time). */
export const RELOAD_PAUSE_FACTOR = 4;
/** Entries kept per process (oldest used dropped first). */
export const MAX_ENTRIES = 500;

interface Entry {
  value: Promise<unknown>;
  /** Epoch ms: served as is until then, afterwards while one reload runs. */
  freshUntil: number;
  reloading: boolean;
}

/** What the cache has done since the process started: read by the load test's server trace (scripts/serve.mjs). */
export interface PageCacheCounters {
  /** Loads a request waited for (nothing cached under its key and version). */
  loads: number;
  /** Reloads of entries past their freshness, run behind the requests. */
  reloads: number;
  /** Reloads waiting for their turn right now. */
  reloadsWaiting: number;
}

const globalForCache = globalThis as typeof globalThis & {
  __pipelinePageCache?: LRUCache<string, Entry>;
  __pipelinePageCacheCounters?: PageCacheCounters;
  /** The queue of reloads; resolves to the pause the next one waits for. */
  __pipelinePageCacheReloads?: Promise<number>;
};

function counters(): PageCacheCounters {
  globalForCache.__pipelinePageCacheCounters ??= { loads: 0, reloads: 0, reloadsWaiting: 0 };
  return globalForCache.__pipelinePageCacheCounters;
}

function entries(): LRUCache<string, Entry> {
  // The LRU's own time limit is the hard one: nothing older is ever served.
  globalForCache.__pipelinePageCache ??= new LRUCache<string, Entry>({
    max: MAX_ENTRIES,
    ttl: MAX_AGE_MS + STALE_GRACE_MS,
  });
  return globalForCache.__pipelinePageCache;
}

function freshUntil(now: number): number {
  return now + MAX_AGE_MS * (0.8 + 0.2 * Math.random());
}

/** Starts a load under fullKey; a failed load is not kept (the next request loads again). */
function store<T>(cache: LRUCache<string, Entry>, fullKey: string, load: () => Promise<T>): Promise<T> {
  counters().loads += 1;
  const loading = load();
  const entry: Entry = { value: loading, freshUntil: freshUntil(Date.now()), reloading: false };
  cache.set(fullKey, entry);
  loading.catch(() => {
    if (cache.get(fullKey) === entry) cache.delete(fullKey);
  });
  return loading;
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
  const found = cache.get(fullKey);
  if (!found) return store(cache, fullKey, load);
  if (Date.now() >= found.freshUntil && !found.reloading) {
    // Past its freshness: this request gets the entry it found; one reload replaces it once it has loaded.
    found.reloading = true;
    afterEarlierReloads(async () => {
      // Gone meanwhile (a write moved the version, or the LRU dropped it): nobody would see this reload.
      if (cache.get(fullKey) !== found) return;
      counters().reloads += 1;
      try {
        const value = await load();
        if (cache.get(fullKey) === found)
          cache.set(fullKey, { value: Promise.resolve(value), freshUntil: freshUntil(Date.now()), reloading: false });
      } catch {
        // Keep serving the entry within its grace; the next request past freshness tries again.
        found.reloading = false;
      }
    });
  }
  return found.value as Promise<T>;
}

/**
 * Runs `reload` once every reload queued before it has finished and its pause
 * has passed (RELOAD_PAUSE_FACTOR times its own duration; at least a turn of the event loop).
 */
function afterEarlierReloads(reload: () => Promise<void>): void {
  const count = counters();
  count.reloadsWaiting += 1;
  const previous = globalForCache.__pipelinePageCacheReloads ?? Promise.resolve(0);
  globalForCache.__pipelinePageCacheReloads = previous
    .then((pauseMs) => new Promise<void>((turn) => (pauseMs > 0 ? setTimeout(turn, pauseMs) : setImmediate(turn))))
    .then(async () => {
      count.reloadsWaiting -= 1;
      const started = performance.now();
      await reload();
      const tookMs = performance.now() - started;
      // A skipped reload (entry gone) took next to nothing, and leaves next to no pause.
      return tookMs * RELOAD_PAUSE_FACTOR;
    });
}

/** A copy of the cache's counters (the server's load trace prints them). */
export function pageCacheCounters(): PageCacheCounters {
  return { ...counters() };
}

/** Empties the cache (tests; nothing in the app needs it: a write changes the version). */
export function clearPageCache(): void {
  entries().clear();
  // Reloads still queued find their entries gone and skip; new ones need not wait behind them.
  globalForCache.__pipelinePageCacheReloads = undefined;
}
