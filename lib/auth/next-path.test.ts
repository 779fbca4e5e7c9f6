import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath: where sign-in may send people", () => {
  it.each([
    ["/", "/"],
    ["/deals/12", "/deals/12"],
    ["/reps/abc?sort=age#flags", "/reps/abc?sort=age#flags"],
    [["/audit?kind=deals", "/other"], "/audit?kind=deals"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });

  it.each([
    // Finding 1 of issue 11: browsers drop the tab or line break and go to example.org.
    "/\t/example.org",
    "/\n/example.org",
    "/\r\n/example.org",
    "//example.org",
    "/\\example.org",
    "/\\/example.org",
    "/.//example.org",
    "https://example.org/",
    "javascript:alert(1)",
    "example.org",
    "",
  ])("refuses %j and goes to the overview", (value) => {
    expect(safeNextPath(value)).toBe("/");
  });

  it("goes to the overview when there is no next", () => {
    expect(safeNextPath(undefined)).toBe("/");
  });
});
