// The weekly messages end to end against a real database and a real SMTP
// server started here: who gets which message on which day, that each names
// only deals its reader may see with links to the right pages, that a second
// run (or two at once) sends nothing twice, and that an SMTP failure is
// recorded and retried with backoff.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Severity } from "@/lib/generated/prisma/enums";
import { sendDueMessages, sendTestMessage, writeDryRun } from "@/lib/messages/send";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { startTestSmtpServer, type TestSmtpServer } from "../fixtures/smtp";

const BASE_URL = "http://pipeline.test";
// AS_OF (2026-06-15) is a Monday. West meets on Mondays, Central on Tuesdays.
const MONDAY = new Date("2026-06-15T12:00:00.000Z");
const TUESDAY = new Date("2026-06-16T12:00:00.000Z");
const SUNDAY_AFTER = new Date("2026-06-21T12:00:00.000Z");

let org: SmallOrg;
let smtp: TestSmtpServer;
let chat: { server: Server; url: string; posts: { text: string }[] };
let deals: Record<"anaNew" | "anaOld" | "anaLate" | "wesStale" | "benHealthy", number>;

const email = (name: string) => `${name.toLowerCase().replace(/\W+/g, ".")}@test.example`;
const send = (now: Date) => sendDueMessages(now, { mail: smtp.settings, baseUrl: BASE_URL });

beforeAll(async () => {
  smtp = await startTestSmtpServer({ user: "pipeline", password: "s3cret" });
  chat = await new Promise((resolve) => {
    const posts: { text: string }[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        posts.push(JSON.parse(body));
        response.end("ok");
      });
    });
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts }),
    );
  });

  org = await createSmallOrg();
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
  await db.messagingSettings.create({ data: { deliveryEnabled: true } });
  await db.teamMessaging.create({ data: { teamId: org.teams.central, meetingWeekday: 2 } });
  await db.teamMessaging.create({
    data: { teamId: org.teams.west, meetingWeekday: 1, webhookKind: "slack", webhookUrl: chat.url },
  });
  // Ben chose silence when nothing is flagged.
  await db.messagePreference.create({ data: { userId: org.people.ben.userId, cleanNote: false } });

  const { ana, ben, wes } = org.people;
  const { demo, proposal } = org.stages;
  deals = {
    anaOld: (
      await createDeal(org, {
        owner: ana,
        amount: 40_000,
        openedDaysAgo: 400,
        stageId: proposal,
        name: "Old Acme renewal",
      })
    ).id,
    anaNew: (
      await createDeal(org, {
        owner: ana,
        amount: 12_000,
        openedDaysAgo: 60,
        stageId: demo,
        name: "Fresh <Globex> pilot",
      })
    ).id,
    anaLate: (
      await createDeal(org, {
        owner: ana,
        amount: 8_000,
        openedDaysAgo: 20,
        stageId: demo,
        name: "Healthy Initech demo",
      })
    ).id,
    wesStale: (
      await createDeal(org, {
        owner: wes,
        amount: 30_000,
        openedDaysAgo: 300,
        stageId: proposal,
        name: "West Umbrella deal",
      })
    ).id,
    benHealthy: (
      await createDeal(org, { owner: ben, amount: 5_000, openedDaysAgo: 3, stageId: demo, name: "Ben's new deal" })
    ).id,
  };
  const review = await db.review.create({
    data: { at: AS_OF, asOf: AS_OF, byId: org.people.admin.userId, settings: {}, totals: {} },
  });
  const flag = (opportunityId: number, rule: string, severity: Severity, startedDaysAgo: number) =>
    db.flag.create({
      data: {
        reviewId: review.id,
        opportunityId,
        rule,
        severity,
        explanation: `${rule} explanation for deal ${opportunityId}`,
        metrics: {},
        asOf: AS_OF,
        startedAt: new Date(AS_OF.getTime() - startedDaysAgo * 86_400_000),
      },
    });
  await flag(deals.anaOld, "past-its-time", "stale", 60);
  await flag(deals.anaNew, "close-date-slipping", "at_risk", 2);
  await flag(deals.wesStale, "untouched", "stale", 30);
  // A waiver ending the day of Central's meeting, and one ending later.
  await db.waiver.create({
    data: {
      opportunityId: deals.anaLate,
      kind: "manager_keep",
      reason: "Board meets in June",
      until: new Date("2026-06-16T00:00:00.000Z"),
      byId: org.people.centralManager.userId,
      createdAt: new Date("2026-06-01T00:00:00Z"),
    },
  });
  await db.waiver.create({
    data: {
      opportunityId: deals.anaOld,
      kind: "waiting_on_buyer",
      reason: "Budget in July",
      until: new Date("2026-07-10T00:00:00.000Z"),
      byId: org.people.ana.userId,
      createdAt: new Date("2026-06-01T00:00:00Z"),
    },
  });
});

afterAll(async () => {
  await smtp?.close();
  await new Promise((resolve) => chat?.server.close(resolve));
});

beforeEach(async () => {
  // Each test starts with nothing sent.
  await db.messageDelivery.deleteMany();
  smtp.received.length = 0;
  chat.posts.length = 0;
});

function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]?.replaceAll("&amp;", "&") ?? "");
}

describe("sendDueMessages", () => {
  it("on Monday sends West's rep digest and Central's manager brief, nothing else", async () => {
    const report = await send(MONDAY);
    expect(report.failed).toEqual([]);
    expect(smtp.received.flatMap((mail) => mail.to).sort()).toEqual([email("Carla Manager"), email("Wes Rep")]);

    const [wes] = smtp.to(email("Wes Rep"));
    expect(wes?.subject).toBe("1 deal needs you before the meeting");
    expect(wes?.text).toContain("West Umbrella deal");
    expect(wes?.text).not.toMatch(/Acme|Globex|Initech/);
    expect(linksIn(wes?.html ?? "")).toEqual([`${BASE_URL}/deals/${deals.wesStale}`, `${BASE_URL}/my`]);

    const [brief] = smtp.to(email("Carla Manager"));
    expect(brief?.subject).toContain("Central: brief for the meeting on Jun 16, 2026");
    // Meeting order: worst first (the stale deal), then at risk, then the healthy late-stage deal.
    const order = ["Old Acme renewal", "Fresh <Globex> pilot", "Healthy Initech demo"].map((name) =>
      brief?.text.indexOf(name),
    );
    expect(order.every((index) => (index ?? -1) >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(brief?.text).not.toContain("West Umbrella");
    // What changed in Central in the week before the as-of date: Ben opened a deal, Ana's pilot got its first flag.
    expect(brief?.text).toContain(
      [
        "WHAT CHANGED SINCE LAST WEEK",
        "- A week ago: 3 open deals, $60,000",
        "- Opened or reopened: 1 (+$5,000)",
        "- Newly flagged: 1 ($12,000)",
        "- Now: 4 open deals, $65,000",
      ].join("\n"),
    );
    expect(brief?.text).toContain("Healthy Initech demo (Ana Rep): Kept until Jun 16, 2026");
    expect(brief?.text).not.toContain("Budget in July");
    expect(brief?.html).toContain("Fresh &lt;Globex&gt; pilot");
    expect(linksIn(brief?.html ?? "")).toContain(`${BASE_URL}/meeting`);

    const recorded = await db.messageDelivery.findMany({ orderBy: { id: "asc" } });
    expect(recorded.map((row) => [row.kind, row.period, row.status, row.recipient])).toEqual(
      expect.arrayContaining([
        ["rep-digest", "2026-06-15", "sent", email("Wes Rep")],
        ["manager-brief", "2026-06-16", "sent", email("Carla Manager")],
      ]),
    );
    expect(recorded).toHaveLength(2);
  });

  it("never sends twice: a second run, and two runs at once, send nothing more", async () => {
    await send(MONDAY);
    expect(smtp.received).toHaveLength(2);
    await send(new Date(MONDAY.getTime() + 3_600_000));
    await Promise.all([send(MONDAY), send(MONDAY)]);
    expect(smtp.received).toHaveLength(2);
  });

  it("puts deals flagged for the first time this week first, with one action each and the pipeline nudge", async () => {
    await send(TUESDAY);
    const [ana] = smtp.to(email("Ana Rep"));
    expect(ana?.subject).toBe("2 deals need you before the meeting (1 new)");
    const text = ana?.text ?? "";
    expect(text.indexOf("[NEW] Fresh <Globex> pilot")).toBeGreaterThan(-1);
    expect(text.indexOf("[NEW] Fresh <Globex> pilot")).toBeLessThan(text.indexOf("Old Acme renewal"));
    expect(text).toContain("Do this: Agree a date with the buyer and update the close date.");
    expect(text).not.toContain("West Umbrella");
    expect(text).toMatch(/New pipeline: Your last new opportunity was \d+ days? ago/);
    expect(linksIn(ana?.html ?? "")).toEqual([
      `${BASE_URL}/deals/${deals.anaNew}`,
      `${BASE_URL}/deals/${deals.anaOld}`,
      `${BASE_URL}/my`,
    ]);
    // Ben has nothing flagged and chose no clean-pipeline note.
    expect(smtp.to(email("Ben Rep"))).toEqual([]);
  });

  it("records an SMTP failure with the server's answer and retries it after the backoff, once", async () => {
    smtp.refuseNext(email("Ana Rep"), 1);
    const first = await send(TUESDAY);
    expect(first.failed).toEqual([
      expect.objectContaining({
        name: "Ana Rep",
        kind: "rep-digest",
        error: expect.stringContaining("Mailbox temporarily full"),
      }),
    ]);
    const failed = await db.messageDelivery.findFirstOrThrow({ where: { userId: org.people.ana.userId } });
    expect(failed).toMatchObject({ status: "failed", attempts: 1, period: "2026-06-16" });
    expect(failed.lastError).toContain("451");
    expect(failed.nextAttemptAt?.toISOString()).toBe("2026-06-16T12:05:00.000Z");

    // Before the backoff has passed: nothing.
    await send(new Date("2026-06-16T12:01:00.000Z"));
    expect(smtp.to(email("Ana Rep"))).toHaveLength(0);
    // After it: delivered, and recorded as such.
    const retry = await send(new Date("2026-06-16T12:06:00.000Z"));
    expect(retry.sent.map((sent) => sent.name)).toEqual(["Ana Rep"]);
    await send(new Date("2026-06-16T13:00:00.000Z"));
    expect(smtp.to(email("Ana Rep"))).toHaveLength(1);
    const delivered = await db.messageDelivery.findFirstOrThrow({ where: { userId: org.people.ana.userId } });
    expect(delivered).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("posts the manager brief to the team's chat webhook as well", async () => {
    await send(SUNDAY_AFTER);
    expect(smtp.to(email("Walt Manager"))).toHaveLength(1);
    expect(chat.posts).toHaveLength(1);
    expect(chat.posts[0]?.text).toContain("West: brief for the meeting on Jun 22, 2026");
    expect(chat.posts[0]?.text).toContain(`${BASE_URL}/meeting`);
    await send(SUNDAY_AFTER);
    expect(chat.posts).toHaveLength(1);
  });

  it("sends nothing when a person turned the message off", async () => {
    await db.messagePreference.create({ data: { userId: org.people.wes.userId, repDigest: false } });
    try {
      const report = await send(MONDAY);
      expect(smtp.to(email("Wes Rep"))).toEqual([]);
      expect(report.skipped).toEqual([
        expect.objectContaining({ name: "Wes Rep", reason: "turned off by the person" }),
      ]);
    } finally {
      await db.messagePreference.delete({ where: { userId: org.people.wes.userId } });
    }
  });

  it("sends nothing while delivery is off, and says how to turn it on", async () => {
    await db.messagingSettings.update({ where: { id: 1 }, data: { deliveryEnabled: false } });
    try {
      const report = await send(MONDAY);
      expect(report.notSending).toContain("Settings → Messages");
      expect(smtp.received).toEqual([]);
    } finally {
      await db.messagingSettings.update({ where: { id: 1 }, data: { deliveryEnabled: true } });
    }
  });
});

describe("sendTestMessage", () => {
  it("sends the chosen person's message to the admin, marked as a test", async () => {
    const admin = { userId: org.people.admin.userId, name: "Ada Admin", email: email("Ada Admin") };
    const result = await sendTestMessage(admin, { userId: org.people.wes.userId, kind: "rep-digest" }, MONDAY, {
      mail: smtp.settings,
    });
    expect(result).toEqual({ ok: true, to: email("Ada Admin") });
    const [mail] = smtp.to(email("Ada Admin"));
    expect(mail?.subject).toBe("[Test] 1 deal needs you before the meeting (as Wes Rep gets it)");
    expect(smtp.to(email("Wes Rep"))).toEqual([]);
  });
});

describe("writeDryRun", () => {
  it("writes one .eml per recipient and records nothing; a rep's names only their own deals", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "digest-"));
    const written = await writeDryRun(MONDAY, dir);
    expect(written.map((message) => `${message.kind} ${message.name}`).sort()).toEqual([
      "manager-brief Carla Manager",
      "manager-brief Walt Manager",
      "rep-digest Ana Rep",
      "rep-digest Wes Rep",
    ]);
    expect((await readdir(dir)).filter((file) => file.endsWith(".eml"))).toHaveLength(4);
    const anaFile = written.find((message) => message.name === "Ana Rep")?.file ?? "";
    const ana = await simpleParser(await readFile(anaFile));
    expect(ana.to && "text" in ana.to ? ana.to.text : "").toContain(email("Ana Rep"));
    expect(ana.text).toContain("Old Acme renewal");
    expect(ana.text).not.toContain("West Umbrella");
    expect(typeof ana.html === "string" && ana.html.includes("<ol")).toBe(true);
    expect(await db.messageDelivery.count()).toBe(0);
    expect(smtp.received).toEqual([]);
  });
});
