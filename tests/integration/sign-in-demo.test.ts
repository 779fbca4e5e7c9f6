// Finding 13: the sign-in page listed the demo people and their shared
// password after a real organisation's data had been added. The list shows
// only while the database holds nothing but the demo organisation.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getDemoSignIns } from "@/lib/auth/data";
import { db } from "@/lib/db";
import { createOrPromoteAdmin } from "@/lib/users/first-admin";
import { DEMO_SOURCE } from "@/prisma/seed/stories";
import { EMAIL_DOMAIN } from "@/prisma/seed/vocabulary";

async function demoPerson(name: string, role: "admin" | "manager" | "rep") {
  const user = await db.user.create({
    data: {
      name,
      role,
      email: `${name.toLowerCase().replace(/\W+/g, ".")}.${randomUUID().slice(0, 6)}@${EMAIL_DOMAIN}`,
    },
  });
  await db.authAccount.create({
    data: { id: randomUUID(), accountId: user.id, providerId: "credential", userId: user.id, password: "x" },
  });
  return user;
}

async function deal(source: string, ownerId: string) {
  const stage = await db.stage.upsert({
    where: { name: "Discovery" },
    create: { name: "Discovery", order: 1, probability: 10 },
    update: {},
  });
  await db.opportunity.create({
    data: {
      source,
      externalId: randomUUID(),
      name: "A deal",
      ownerId,
      stageId: stage.id,
      amount: "1000.00",
      currency: "USD",
      status: "open",
      openedAt: new Date("2026-01-05T12:00:00Z"),
      stageEnteredAt: new Date("2026-01-05T12:00:00Z"),
    },
  });
}

beforeEach(async () => {
  await db.opportunity.deleteMany();
  await db.auditEvent.deleteMany();
  await db.authAccount.deleteMany();
  await db.user.deleteMany();
  await db.orgSettings.upsert({
    where: { id: 1 },
    create: { name: "Demo", demoData: true },
    update: { demoData: true },
  });
});

describe("demo accounts on the sign-in page", () => {
  it("are listed while the database holds only the demo organisation", async () => {
    const admin = await demoPerson("Morgan Admin", "admin");
    await deal(DEMO_SOURCE, admin.id);
    const demo = await getDemoSignIns();
    expect(demo?.accounts.map((account) => account.email)).toEqual([admin.email]);
  });

  it("are hidden once a real admin is created", async () => {
    await demoPerson("Morgan Admin", "admin");
    await createOrPromoteAdmin({ email: "boss@real.example", name: "Real Boss", password: "long enough pw" });
    expect(await getDemoSignIns()).toBeNull();
  });

  it("are hidden once deals from a CRM are imported", async () => {
    const admin = await demoPerson("Morgan Admin", "admin");
    await deal("salesforce", admin.id);
    expect(await getDemoSignIns()).toBeNull();
  });

  it("are hidden when the demo was never loaded", async () => {
    await demoPerson("Morgan Admin", "admin");
    await db.orgSettings.update({ where: { id: 1 }, data: { demoData: false } });
    expect(await getDemoSignIns()).toBeNull();
  });
});
