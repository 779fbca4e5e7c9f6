// The page cache's rules, without a database: one load per key and version,
// shared by concurrent callers; a new version loads again; a failed load is
// not kept.
import { beforeEach, describe, expect, it } from "vitest";
import { cachedPageData, clearPageCache } from "./page-cache";

beforeEach(() => clearPageCache());

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
});
