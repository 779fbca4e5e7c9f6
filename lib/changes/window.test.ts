import { describe, expect, it } from "vitest";
import { changesHref, lastWeek, parseChangesQuery, sinceLastMeeting } from "./window";

const AS_OF = new Date("2026-12-05T06:00:00Z");

describe("the window", () => {
  it("defaults to the 7 days ending at the as-of instant", () => {
    expect(lastWeek(AS_OF)).toEqual({ from: new Date("2026-11-28T06:00:00Z"), to: AS_OF });
  });

  it.each([
    { name: "since the previous meeting's review", previous: "2026-11-21T09:00:00Z", from: "2026-11-21T09:00:00Z" },
    { name: "7 days without a previous meeting", previous: null, from: "2026-11-28T06:00:00Z" },
    {
      name: "7 days when the 'previous' meeting is not before as-of",
      previous: "2026-12-05T06:00:00Z",
      from: "2026-11-28T06:00:00Z",
    },
  ])("meeting mode: $name", ({ previous, from }) => {
    expect(sinceLastMeeting(AS_OF, previous ? new Date(previous) : null)).toEqual({ from: new Date(from), to: AS_OF });
  });

  it("travels in a link and back", () => {
    const href = changesHref({
      movement: "pushed_out",
      from: new Date("2026-11-28T06:00:00Z"),
      to: AS_OF,
      teamId: "t1",
      repId: "r1",
    });
    expect(href).toBe("/changes?movement=pushed_out&to=2026-12-05T06:00:00Z&team=t1&rep=r1");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseChangesQuery(params, AS_OF)).toEqual({
      ok: true,
      query: { movement: "pushed_out", from: new Date("2026-11-28T06:00:00Z"), to: AS_OF, teamId: "t1", repId: "r1" },
    });
  });

  it.each([
    {
      name: "since a meeting, to the millisecond",
      window: { from: new Date("2026-11-21T09:00:00Z"), to: new Date("2026-12-05T14:03:11.716Z") },
      href: "/changes?from=2026-11-21T09:00:00Z&to=2026-12-05T14:03:11.716Z",
    },
    {
      name: "midnight to midnight, as dates",
      window: { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") },
      href: "/changes?from=2026-11-01&to=2026-12-01",
    },
    {
      name: "7 days: only the end",
      window: lastWeek(new Date("2026-12-05T14:03:11.716Z")),
      href: "/changes?to=2026-12-05T14:03:11.716Z",
    },
  ])("writes a window compactly and reads the same instants back: $name", ({ window, href }) => {
    expect(changesHref(window)).toBe(href);
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseChangesQuery(params, AS_OF)).toEqual({
      ok: true,
      query: { ...window, movement: null, teamId: null, repId: null },
    });
  });

  it.each([
    { params: { from: "yesterday" }, message: /"yesterday" is not a date/ },
    { params: { from: "2026-12-06", to: "2026-12-01" }, message: /must be before/ },
    { params: { movement: "vanished" }, message: /"vanished" is not a movement; use one of: opened, won/ },
  ])("says what is wrong with $params", ({ params, message }) => {
    const result = parseChangesQuery(params, AS_OF);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("reads no window as last week's", () => {
    expect(parseChangesQuery({}, AS_OF)).toEqual({
      ok: true,
      query: { ...lastWeek(AS_OF), movement: null, teamId: null, repId: null },
    });
  });
});
