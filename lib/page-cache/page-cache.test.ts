// The page cache's rules, without a database: one load per key and version,
// shared by concurrent callers; a new version loads again; a failed load is
// not kept; past its freshness an entry is served once more while one reload
// runs, then the reloaded data.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cachedPageData, clearPageCache, MAX_AGE_MS, pageCacheCounters, RELOAD_PAUSE_FACTOR } from "./page-cache";

beforeEach(() => clearPageCache());
afterEach(() => vi.useRealTimers());

function counter() {
  let loads = 0;
  return {
    load: async () => {
      loads += 1;
      return { load: loads };
    },
    get loads() {
      return loads;
    },
  };
}

describe("cachedPageData", () => {
  it("loads once per key and version, and concurrent callers share that load", async () => {
    const source = counter();
    const [a, b] = await Promise.all([
      cachedPageData("overview", "v1", source.load),
      cachedPageData("overview", "v1", source.load),
    ]);
    expect(await cachedPageData("overview", "v1", source.load)).toBe(a);
    expect(b).toBe(a);
    expect(source.loads).toBe(1);
  });

  it("loads again under a new data version, and keeps keys apart", async () => {
    const source = counter();
    const first = await cachedPageData("overview", "v1", source.load);
    expect(await cachedPageData("overview", "v2", source.load)).toEqual({ load: 2 });
    expect(await cachedPageData("rep page", "v2", source.load)).toEqual({ load: 3 });
    expect(first).toEqual({ load: 1 });
  });

  it("does not keep a failed load", async () => {
    let attempts = 0;
    const flaky = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("database busy");
      return "loaded";
    };
    await expect(cachedPageData("overview", "v1", flaky)).rejects.toThrow("database busy");
    expect(await cachedPageData("overview", "v1", flaky)).toBe("loaded");
    expect(attempts).toBe(2);
  });

  it("past its freshness serves the entry it has while one reload runs, then the reloaded data", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-06T09:00:00Z"));
    const source = counter();
    const first = await cachedPageData("overview", "v1", source.load);
    // Still fresh a little before a fifth of MAX_AGE_MS has passed (each entry's freshness ends 0–20% early).
    vi.setSystemTime(Date.now() + MAX_AGE_MS * 0.79);
    expect(await cachedPageData("overview", "v1", source.load)).toBe(first);
    expect(source.loads).toBe(1);

    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    // The first request past freshness gets the entry it found; so do those while the reload runs, sharing it.
    const [during, alsoDuring] = await Promise.all([
      cachedPageData("overview", "v1", source.load),
      cachedPageData("overview", "v1", source.load),
    ]);
    expect(during).toBe(first);
    expect(alsoDuring).toBe(first);
    // One reload, started behind the requests.
    await vi.waitFor(() => expect(source.loads).toBe(2));
    // Once it has loaded, the reloaded data, fresh again.
    await vi.waitFor(async () => expect(await cachedPageData("overview", "v1", source.load)).toEqual({ load: 2 }));
    expect(source.loads).toBe(2);
  });

  it("keeps serving the entry when its reload fails, and tries again on the next request", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-06T09:00:00Z"));
    let attempts = 0;
    const flakyReload = async () => {
      attempts += 1;
      if (attempts === 2) throw new Error("database busy");
      return `load ${attempts}`;
    };
    expect(await cachedPageData("rep page", "v1", flakyReload)).toBe("load 1");
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    expect(await cachedPageData("rep page", "v1", flakyReload)).toBe("load 1");
    await vi.waitFor(() => expect(attempts).toBe(2));
    // The failed reload left the entry as it was; the next request reloads again.
    await Promise.resolve();
    expect(await cachedPageData("rep page", "v1", flakyReload)).toBe("load 1");
    await vi.waitFor(async () => expect(await cachedPageData("rep page", "v1", flakyReload)).toBe("load 3"));
  });
  it("runs the reloads of entries past their freshness one at a time, behind the requests", async () => {
    // The clock stands still while the reloads run, so each took 0 ms and leaves no pause (tested below).
    vi.useFakeTimers({ toFake: ["Date", "performance"] });
    vi.setSystemTime(new Date("2026-12-06T09:00:00Z"));
    const running: string[] = [];
    const finishers: Array<() => void> = [];
    let mostAtOnce = 0;
    const slowLoad = (key: string) => () =>
      new Promise<string>((resolve) => {
        running.push(key);
        mostAtOnce = Math.max(mostAtOnce, running.length);
        finishers.push(() => {
          running.splice(running.indexOf(key), 1);
          resolve(`${key} reloaded`);
        });
      });
    for (const key of ["a", "b", "c"]) await cachedPageData(key, "v1", async () => `${key} first`);
    const reloadsBefore = pageCacheCounters().reloads;

    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    // Three entries come due together: each request gets its entry at once, while the reloads queue.
    for (const key of ["a", "b", "c"]) expect(await cachedPageData(key, "v1", slowLoad(key))).toBe(`${key} first`);
    await vi.waitFor(() => expect(running).toEqual(["a"]));
    expect(pageCacheCounters().reloadsWaiting).toBe(2);
    finishers.shift()?.();
    await vi.waitFor(() => expect(running).toEqual(["b"]));
    finishers.shift()?.();
    await vi.waitFor(() => expect(running).toEqual(["c"]));
    finishers.shift()?.();
    await vi.waitFor(async () => expect(await cachedPageData("c", "v1", slowLoad("c"))).toBe("c reloaded"));
    expect(await cachedPageData("a", "v1", slowLoad("a"))).toBe("a reloaded");
    expect(mostAtOnce).toBe(1);
    expect(pageCacheCounters().reloads - reloadsBefore).toBe(3);
    expect(pageCacheCounters().reloadsWaiting).toBe(0);
  });

  it("skips the reload of an entry a write made unreachable before its turn came", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-06T09:00:00Z"));
    await cachedPageData("overview", "v1", async () => "first");
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    let reloads = 0;
    const reload = async () => {
      reloads += 1;
      return "reloaded";
    };
    // The entry is due; before its reload's turn comes (the next turn of the event loop) it is dropped.
    expect(await cachedPageData("overview", "v1", reload)).toBe("first");
    clearPageCache();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(reloads).toBe(0);
    // Asked for again, it loads in the request as any entry not cached.
    expect(await cachedPageData("overview", "v1", reload)).toBe("reloaded");
    expect(reloads).toBe(1);
  });
  it("after a reload, waits RELOAD_PAUSE_FACTOR times its duration before the next one starts", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "performance"] });
    vi.setSystemTime(new Date("2026-12-06T09:00:00Z"));
    const turns = async () => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await cachedPageData("overview", "v1", async () => "overview first");
    await cachedPageData("rep page", "v1", async () => "rep page first");
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    const started: string[] = [];
    // The overview's reload takes 100 ms (of the faked clock); the rep page's is queued behind it.
    cachedPageData("overview", "v1", async () => {
      started.push("overview");
      vi.advanceTimersByTime(100);
      return "overview reloaded";
    });
    cachedPageData("rep page", "v1", async () => {
      started.push("rep page");
      return "rep page reloaded";
    });
    await turns();
    expect(started).toEqual(["overview"]);
    vi.advanceTimersByTime(100 * RELOAD_PAUSE_FACTOR - 1);
    await turns();
    expect(started).toEqual(["overview"]);
    vi.advanceTimersByTime(1);
    await turns();
    expect(started).toEqual(["overview", "rep page"]);
  });
});
