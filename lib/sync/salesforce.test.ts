// Salesforce's pure parts: its date formats, the keyset condition a resumed
// sync sends, SOQL string escaping, tasks and events in the app's words, the
// JWT assertion (verified with the public key, as Salesforce does), and the
// shared paging loop.
import { createVerify, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { followPages, readAllPages } from "./paging";
import { afterMark, eventActivity, salesforceDate, soqlString, taskActivity } from "./salesforce";
import { authorizeUrl, jwtAssertion } from "./salesforce-auth";

const task = (fields: Partial<Parameters<typeof taskActivity>[0]>) =>
  taskActivity({
    Id: "00T000000000001AAA",
    SystemModstamp: "2026-03-04T10:00:00.000+0000",
    WhatId: "006000000000001AAA",
    Subject: "Intro",
    TaskSubtype: "Task",
    Type: null,
    CallType: null,
    Status: "Completed",
    IsClosed: true,
    ActivityDate: "2026-03-04",
    CompletedDateTime: "2026-03-04T15:30:00.000+0000",
    CreatedDate: "2026-03-01T09:00:00.000+0000",
    ...fields,
  });

describe("Salesforce dates", () => {
  it("reads instants with +0000 offsets and plain dates as UTC midnight; null when empty or unreadable", () => {
    expect(salesforceDate("2026-03-04T10:00:00.000+0000")?.toISOString()).toBe("2026-03-04T10:00:00.000Z");
    expect(salesforceDate("2026-03-04T10:00:00.000-0500")?.toISOString()).toBe("2026-03-04T15:00:00.000Z");
    expect(salesforceDate("2026-03-04")?.toISOString()).toBe("2026-03-04T00:00:00.000Z");
    expect(salesforceDate(null)).toBeNull();
    expect(salesforceDate("soon")).toBeNull();
  });
});

describe("SOQL", () => {
  it("resumes after the last (SystemModstamp, Id) written, with a bare dateTime literal", () => {
    expect(afterMark(null)).toBeNull();
    expect(afterMark({ at: "2026-03-04T10:00:00.000+0000", id: "006000000000200AAA" })).toBe(
      "(SystemModstamp > 2026-03-04T10:00:00.000Z OR (SystemModstamp = 2026-03-04T10:00:00.000Z AND Id > '006000000000200AAA'))",
    );
  });
  it("escapes quotes and backslashes in string literals", () => {
    expect(soqlString("O'Brien \\ Co")).toBe("'O\\'Brien \\\\ Co'");
  });
});

describe("tasks and events", () => {
  it("an inbound call is the buyer's, an outbound one and a logged email the seller's", () => {
    expect(task({ TaskSubtype: "Call", CallType: "Inbound" })).toMatchObject({ type: "call", side: "buyer" });
    expect(task({ TaskSubtype: "Call", CallType: "Outbound" })).toMatchObject({ type: "call", side: "seller" });
    expect(task({ TaskSubtype: "Email" })).toMatchObject({ type: "email", side: "seller" });
    expect(task({ TaskSubtype: "ListEmail" })).toMatchObject({ type: "email", side: "seller" });
  });
  it("a plain task takes the org's Type when it names one; an unfinished task is not done", () => {
    expect(task({ Type: "Meeting" })).toMatchObject({ type: "meeting" });
    expect(task({})).toMatchObject({ type: "task", done: true, at: new Date("2026-03-04T15:30:00.000Z") });
    expect(task({ Status: "Not Started", IsClosed: false, CompletedDateTime: null })).toMatchObject({
      done: false,
      at: new Date("2026-03-04T00:00:00.000Z"),
    });
    expect(task({ WhatId: null })).toBeNull();
  });
  it("an event is a buyer-side meeting, done once it has ended", () => {
    const event = {
      Id: "00U000000000001AAA",
      SystemModstamp: "2026-03-01T00:00:00.000+0000",
      WhatId: "006000000000001AAA",
      Subject: "Demo",
      StartDateTime: "2026-03-04T10:00:00.000+0000",
      EndDateTime: "2026-03-04T11:00:00.000+0000",
      ActivityDateTime: "2026-03-04T10:00:00.000+0000",
    };
    expect(eventActivity(event, new Date("2026-03-04T12:00:00Z"))).toMatchObject({
      type: "meeting",
      side: "buyer",
      done: true,
    });
    expect(eventActivity(event, new Date("2026-03-04T10:30:00Z"))).toMatchObject({ done: false });
    expect(eventActivity({ ...event, StartDateTime: null, ActivityDateTime: null }, new Date())).toBeNull();
  });
});

describe("signing in", () => {
  it("signs an RS256 assertion that the matching public key verifies, with iss, sub, aud and a 3-minute exp", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const now = new Date("2026-03-04T10:00:00Z");
    const assertion = jwtAssertion(
      {
        clientId: "3MVG9key",
        username: "sync@acme.test",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        loginUrl: "https://test.salesforce.com",
      },
      now,
    );
    const [header, claims, signature] = assertion.split(".") as [string, string, string];
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ alg: "RS256" });
    expect(JSON.parse(Buffer.from(claims, "base64url").toString())).toEqual({
      iss: "3MVG9key",
      sub: "sync@acme.test",
      aud: "https://test.salesforce.com",
      exp: now.getTime() / 1000 + 180,
    });
    const verify = createVerify("RSA-SHA256").update(`${header}.${claims}`);
    expect(verify.verify(publicKey, Buffer.from(signature, "base64url"))).toBe(true);
  });
  it("refuses a key that is not a PEM private key with what to paste", () => {
    expect(() =>
      jwtAssertion({ clientId: "k", username: "u@x.test", privateKey: "not a key", loginUrl: "https://x.test" }),
    ).toThrow(/not a PEM RSA private key/);
  });
  it("sends the person to <login>/services/oauth2/authorize with the code flow's parameters", () => {
    const url = new URL(
      authorizeUrl({ clientId: "k", redirectUri: "https://app.test/cb", state: "s1", loginUrl: "https://x.test/" }),
    );
    expect(url.origin + url.pathname).toBe("https://x.test/services/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "k",
      redirect_uri: "https://app.test/cb",
      scope: "api refresh_token",
      state: "s1",
    });
  });
});

describe("paging", () => {
  const pages: Record<string, { items: number[]; next: string | null }> = {
    start: { items: [1, 2], next: "b" },
    b: { items: [3], next: "c" },
    c: { items: [4], next: null },
  };
  it("follows each page's token until a page has none, from the beginning or a saved token", async () => {
    const read = async (token: string | null) => pages[token ?? "start"] ?? null;
    expect(await readAllPages(read)).toEqual([1, 2, 3, 4]);
    const resumed: number[][] = [];
    for await (const page of followPages(read, "b")) resumed.push(page.items);
    expect(resumed).toEqual([[3], [4]]);
  });
  it("answers null for a list that could not be read, even after a first page", async () => {
    expect(await readAllPages(async (token: string | null) => (token ? null : { items: [1], next: "x" }))).toBeNull();
  });
});
