import { describe, expect, it } from "vitest";
import { batchOptionsSchema } from "./schema";

describe("the as-of date an import fixes", () => {
  it.each([
    ["2026-03-31", true],
    ["2028-02-29", true],
    ["file", true],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["31.03.2026", false],
  ])("%s → accepted: %s", (asOf, accepted) => {
    const result = batchOptionsSchema.safeParse({ asOf });
    expect(result.success).toBe(accepted);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/YYYY-MM-DD|does not exist/);
  });
});
