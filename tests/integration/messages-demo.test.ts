// `npm run digest -- --dry-run` on the demo organisation, after its first
// review: a message for every rep with flagged deals and for every team
// manager, and each rep's digest names only that rep's own deals.
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { beforeAll, expect, it } from "vitest";
import { db, getConnection } from "@/lib/db";
import { writeDryRun } from "@/lib/messages/send";
import { currentFlagWhere } from "@/lib/flags/current-flags";
import { runReviewAs } from "@/lib/reviews/run";
import { DEMO_DEFAULTS, defaultClosedDeals } from "@/prisma/seed/generate";
import { loadDemoOrganisation } from "@/prisma/seed/load";
import { inThreadSource } from "@/prisma/seed/statement-sources";

const TODAY = "2026-12-07";
const NOW = new Date(`${TODAY}T12:00:00.000Z`);

beforeAll(async () => {
  const demo = { ...DEMO_DEFAULTS, today: TODAY, closedDeals: defaultClosedDeals(DEMO_DEFAULTS.reps) };
  await loadDemoOrganisation(getConnection().sql, inThreadSource(demo), { reset: false, dealsTotal: demo.openDeals });
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: NOW } });
  await runReviewAs(null, { now: NOW, asOf: NOW });
}, 300_000);

it("writes a digest for every rep with flagged deals and a brief for every manager; a rep's names only their deals", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "digest-demo-"));
  const written = await writeDryRun(NOW, dir);

  const flaggedOwners = await db.user.findMany({
    where: {
      role: "rep",
      active: true,
      opportunities: { some: { status: "open", flags: { some: currentFlagWhere } } },
    },
    select: { name: true },
  });
  const managers = await db.team.findMany({
    where: { managerId: { not: null } },
    select: { manager: { select: { name: true } } },
  });
  expect(flaggedOwners.length).toBeGreaterThan(5);
  const digests = written.filter((message) => message.kind === "rep-digest").map((message) => message.name);
  const briefs = written.filter((message) => message.kind === "manager-brief").map((message) => message.name);
  expect(digests).toEqual(expect.arrayContaining(flaggedOwners.map((rep) => rep.name)));
  expect(briefs.sort()).toEqual(managers.map((team) => team.manager?.name ?? "").sort());

  const deals = await db.opportunity.findMany({
    where: { status: "open" },
    select: { id: true, owner: { select: { name: true } } },
  });
  const ownerOf = new Map(deals.map((deal) => [deal.id, deal.owner.name]));
  let linkedDeals = 0;
  for (const message of written.filter((entry) => entry.kind === "rep-digest")) {
    const mail = await simpleParser(await readFile(message.file));
    const ids = [...(mail.text ?? "").matchAll(/\/deals\/(\d+)/g)].map((match) => Number(match[1]));
    linkedDeals += ids.length;
    for (const id of ids) expect({ deal: id, owner: ownerOf.get(id) }).toEqual({ deal: id, owner: message.name });
  }
  expect(linkedDeals).toBeGreaterThan(0);
});
