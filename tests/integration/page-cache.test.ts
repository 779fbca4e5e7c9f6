// The per-process page cache (lib/page-cache) and the cached session look-up
// (lib/auth/session.ts) on a real database — the overview, a rep's page,
// "My deals" and the flagged deals: the same data is served again
// while nothing is written, and every kind of write — a deal action, an
// import, a review, a settings change, a write outside the app, signing out,
// deactivating a person, changing a role — shows on the very next read.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getAuth } from "@/lib/auth/auth";
import { getSessionViewer } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { updateDealAction } from "@/lib/deals/actions";
import { parseFlaggedDealsView } from "@/lib/deals/flagged-view";
import { DEFAULT_PIPELINE_VIEW } from "@/lib/deals/pipeline-view";
import { readDataVersion } from "@/lib/page-cache/data-version";
import { clearPageCache } from "@/lib/page-cache/page-cache";
import {
  getFlaggedDealsPageData,
  getMyPageData,
  getOverviewPageData,
  getPageOrgContext,
  getRepPageData,
} from "@/lib/page-data/data";
import { saveRuleSettingsAction } from "@/lib/settings/actions";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import { deactivateUserAction, updateUserAction } from "@/lib/users/actions";
import { reviewAsOf } from "../fixtures/review";
import { giveSignIn, signInAs, TEST_PASSWORD } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { setRequestCookies } from "../setup/next-headers";
import { apply, text } from "./import-helpers";

// "Nothing moved while we only read" can be observed only where this process
// is the database's only writer (PGlite). On a PostgreSQL server the version is
// the server's transaction snapshot, which other databases' writes move too —
// the test files run in parallel there, one database each — so those two
// checks run on PGlite; every "a write shows on the next read" check runs on both.
const onlyWriter = !process.env.TEST_DATABASE_URL;

let org: SmallOrg;
let anaDeal: { id: number };
/**
 * Changed by raw SQL only. A write outside the app is not in the figures the
 * app keeps on write until the app next recounts that rep, so it is Wes's (West):
 * no test sums Wes's kept figures, while Ana's change with her deal action.
 */
let wesDeal: { id: number };

beforeAll(async () => {
  org = await createSmallOrg();
  // The organisation reads its data as of the fixture's day.
  await db.orgSettings.update({ where: { id: 1 }, data: { asOf: AS_OF } });
  anaDeal = await createDeal(org, { owner: org.people.ana, amount: 10_000, openedDaysAgo: 400, name: "Old deal" });
  await createDeal(org, { owner: org.people.ana, amount: 2_000, openedDaysAgo: 20 });
  wesDeal = await createDeal(org, { owner: org.people.wes, amount: 8_000, openedDaysAgo: 400, name: "Wes's old deal" });
});

// Each test stands alone: nothing cached by another test is found.
beforeEach(() => clearPageCache());

async function overviewOf(viewer: SmallOrg["people"][keyof SmallOrg["people"]]) {
  return getOverviewPageData(viewer, await getPageOrgContext());
}

async function repPageOf(viewer: SmallOrg["people"][keyof SmallOrg["people"]], repId: string) {
  return getRepPageData(viewer, repId, await getPageOrgContext(), DEFAULT_PIPELINE_VIEW);
}

async function myPageOf(viewer: SmallOrg["people"][keyof SmallOrg["people"]], previewRepId: string | null = null) {
  return getMyPageData(viewer, await getPageOrgContext(), previewRepId, "worst");
}

async function flaggedDealsOf(viewer: SmallOrg["people"][keyof SmallOrg["people"]]) {
  return getFlaggedDealsPageData(viewer, await getPageOrgContext(), parseFlaggedDealsView({}));
}

/** Open value of "My deals": flagged and unflagged deals together. */
function myOpenValueCents(mine: Awaited<ReturnType<typeof myPageOf>>): number {
  return [...(mine?.flagged ?? []), ...(mine?.others ?? [])].reduce((sum, deal) => sum + deal.amountCents, 0);
}

/** A session cookie for someone, without changing who the actions act as. */
async function cookieOf(userId: string): Promise<string> {
  await giveSignIn(userId);
  const { email } = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const response = await getAuth().api.signInEmail({
    body: { email, password: TEST_PASSWORD },
    asResponse: true,
    headers: new Headers(),
  });
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe("the data version", () => {
  it.runIf(onlyWriter)("stays the same across reads and moves on with every write", async () => {
    const before = await readDataVersion();
    await overviewOf(org.people.admin);
    await db.opportunity.count();
    expect(await readDataVersion()).toBe(before);
    await db.team.update({ where: { id: org.teams.west }, data: { name: "West" } });
    expect(await readDataVersion()).not.toBe(before);
  });
});

describe("page data is served from the cache while nothing is written", () => {
  it.runIf(onlyWriter)("answers the same overview and rep page again without reading them again", async () => {
    const version = await readDataVersion();
    const first = await overviewOf(org.people.centralManager);
    const rep = await repPageOf(org.people.centralManager, org.people.ana.userId);
    const mine = await myPageOf(org.people.ana);
    const flagged = await flaggedDealsOf(org.people.centralManager);
    const [firstAgain, repAgain, mineAgain, flaggedAgain] = [
      await overviewOf(org.people.centralManager),
      await repPageOf(org.people.centralManager, org.people.ana.userId),
      await myPageOf(org.people.ana),
      await flaggedDealsOf(org.people.centralManager),
    ];
    // Reading the pages wrote nothing (else nothing could ever be served from the cache)…
    expect(await readDataVersion()).toBe(version);
    // …so the second reads are the first ones' very objects.
    expect(firstAgain).toBe(first);
    expect(rep.pipeline?.summary.openDeals).toBeGreaterThan(0);
    expect(repAgain).toBe(rep);
    expect(myOpenValueCents(mine)).toBeGreaterThan(0);
    expect(mineAgain).toBe(mine);
    expect(flaggedAgain).toBe(flagged);
  });

  it("keeps each viewer's scope apart", async () => {
    const central = await overviewOf(org.people.centralManager);
    const west = await overviewOf(org.people.westManager);
    expect(central.overview.reps.map((rep) => rep.repName)).toEqual(["Ana Rep", "Ben Rep"]);
    expect(west.overview.reps.map((rep) => rep.repName)).toEqual(["Wes Rep"]);
    // Outside the viewer's scope the rep page reads as missing, also when another viewer has it cached.
    expect((await repPageOf(org.people.centralManager, org.people.ana.userId)).pipeline).not.toBeNull();
    expect(await repPageOf(org.people.westManager, org.people.ana.userId)).toEqual({ pipeline: null, changes: null });
    // "My deals" is the viewer's own page, and a preview only of a rep in scope.
    expect((await myPageOf(org.people.ana))?.rep.id).toBe(org.people.ana.userId);
    expect((await myPageOf(org.people.wes))?.rep.id).toBe(org.people.wes.userId);
    expect((await myPageOf(org.people.centralManager, org.people.ana.userId))?.rep.id).toBe(org.people.ana.userId);
    expect(await myPageOf(org.people.westManager, org.people.ana.userId)).toBeNull();
    // The flagged deals of a team are its manager's only.
    const westFlagged = await flaggedDealsOf(org.people.westManager);
    expect(westFlagged.page.deals.rows.every((deal) => deal.ownerId === org.people.wes.userId)).toBe(true);
  });
});

describe("every kind of write shows on the next read", () => {
  it("a deal action (a new amount)", async () => {
    await signInAs(org.people.ana);
    const before = await overviewOf(org.people.ana);
    const repBefore = await repPageOf(org.people.ana, org.people.ana.userId);
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: anaDeal.id } });
    const newAmount = Number(deal.amount) + 1_000;
    const result = await updateDealAction({ dealId: deal.id, version: deal.version, amount: String(newAmount) });
    expect(result).toMatchObject({ ok: true });
    const after = await overviewOf(org.people.ana);
    expect(after.overview.figures.openValueCents).toBe(before.overview.figures.openValueCents + 100_000);
    const repAfter = await repPageOf(org.people.ana, org.people.ana.userId);
    expect(repAfter.pipeline?.summary.openValueCents).toBe((repBefore.pipeline?.summary.openValueCents ?? 0) + 100_000);
  });

  it("a deal action shows on 'My deals' and the flagged deals", async () => {
    // Flags first, so the old deal is on the flagged list.
    await reviewAsOf({ now: new Date() });
    await signInAs(org.people.ana);
    const myBefore = await myPageOf(org.people.ana);
    const flaggedBefore = await flaggedDealsOf(org.people.centralManager);
    const flaggedRow = flaggedBefore.page.deals.rows.find((deal) => deal.id === anaDeal.id);
    expect(flaggedRow).toBeDefined();
    const deal = await db.opportunity.findUniqueOrThrow({ where: { id: anaDeal.id } });
    const result = await updateDealAction({
      dealId: deal.id,
      version: deal.version,
      amount: String(Number(deal.amount) + 1_000),
    });
    expect(result).toMatchObject({ ok: true });
    expect(myOpenValueCents(await myPageOf(org.people.ana))).toBe(myOpenValueCents(myBefore) + 100_000);
    const flaggedAfter = await flaggedDealsOf(org.people.centralManager);
    expect(flaggedAfter.page.deals.rows.find((row) => row.id === anaDeal.id)?.amountCents).toBe(
      (flaggedRow?.amountCents ?? 0) + 100_000,
    );
  });

  it("an import (a new deal)", async () => {
    const before = await overviewOf(org.people.centralManager);
    const repBefore = await repPageOf(org.people.centralManager, org.people.ana.userId);
    const csv = [
      "Deal ID,Deal name,Owner,Stage,Amount,Opened",
      "CACHE-1,Imported deal,Ana Rep,Discovery,5000,2026-05-01",
    ].join("\n");
    await apply([text("cache.csv", csv)], {}, { actorId: org.people.admin.userId });
    const after = await overviewOf(org.people.centralManager);
    expect(after.overview.figures.openDeals).toBe(before.overview.figures.openDeals + 1);
    const repAfter = await repPageOf(org.people.centralManager, org.people.ana.userId);
    expect(repAfter.pipeline?.deals.map((deal) => deal.name)).toContain("Imported deal");
    expect(repAfter.pipeline?.summary.openValueCents).toBe((repBefore.pipeline?.summary.openValueCents ?? 0) + 500_000);
  });

  it("a review (its flags and the last review)", async () => {
    const before = await overviewOf(org.people.admin);
    // Recorded as run now: later than the reviews the imports ran.
    const review = await reviewAsOf({ now: new Date() });
    const after = await overviewOf(org.people.admin);
    expect(after.overview.lastReview?.id).toBe(review.reviewId);
    expect(after.overview.lastReview?.id).not.toBe(before.overview.lastReview?.id);
  });

  it("a settings change (the organisation's thresholds)", async () => {
    await signInAs(org.people.admin);
    const before = await getPageOrgContext();
    expect(await getPageOrgContext()).toEqual(before);
    const multiple = (before.rules as { pastItsTimeMultiple?: number }).pastItsTimeMultiple === 3 ? "2.5" : "3";
    const result = await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS, pastItsTimeMultiple: multiple });
    expect(result).toMatchObject({ ok: true });
    const after = await getPageOrgContext();
    expect((after.rules as { pastItsTimeMultiple: number }).pastItsTimeMultiple).toBe(Number(multiple));
  });

  it("a write outside the app (raw SQL on the database)", async () => {
    // The rep page sums the deals themselves (the overview reads figures the app keeps on write).
    const before = await repPageOf(org.people.wes, org.people.wes.userId);
    await db.$executeRawUnsafe(`UPDATE "Opportunity" SET amount = amount + 1 WHERE id = $1`, wesDeal.id);
    const after = await repPageOf(org.people.wes, org.people.wes.userId);
    expect(after.pipeline?.summary.openValueCents).toBe((before.pipeline?.summary.openValueCents ?? 0) + 100);
  });

  it("a write outside the app shows on 'My deals' and the flagged deals", async () => {
    await reviewAsOf({ now: new Date() });
    const myBefore = await myPageOf(org.people.wes);
    const flaggedBefore = await flaggedDealsOf(org.people.admin);
    const flaggedRow = flaggedBefore.page.deals.rows.find((deal) => deal.id === wesDeal.id);
    expect(flaggedRow).toBeDefined();
    await db.$executeRawUnsafe(`UPDATE "Opportunity" SET amount = amount + 1 WHERE id = $1`, wesDeal.id);
    expect(myOpenValueCents(await myPageOf(org.people.wes))).toBe(myOpenValueCents(myBefore) + 100);
    const flaggedAfter = await flaggedDealsOf(org.people.admin);
    expect(flaggedAfter.page.deals.rows.find((row) => row.id === wesDeal.id)?.amountCents).toBe(
      (flaggedRow?.amountCents ?? 0) + 100,
    );
  });

  it("a review shows on the flagged deals and 'My deals'", async () => {
    // A deal of its own, past its time only once the review's flags are written. Wes's (West), for
    // the reason wesDeal is: Central's kept figures stay as the other tests count them.
    const late = await createDeal(org, { owner: org.people.wes, amount: 3_000, openedDaysAgo: 500, name: "Late deal" });
    const before = await flaggedDealsOf(org.people.westManager);
    expect(before.page.deals.rows.map((deal) => deal.id)).not.toContain(late.id);
    const wesBefore = await myPageOf(org.people.wes);
    expect(wesBefore?.flagged.map((deal) => deal.id)).not.toContain(late.id);
    await reviewAsOf({ now: new Date() });
    const after = await flaggedDealsOf(org.people.westManager);
    expect(after.reviewed).toBe(true);
    expect(after.page.deals.rows.map((deal) => deal.id)).toContain(late.id);
    expect((await myPageOf(org.people.wes))?.flagged.map((deal) => deal.id)).toContain(late.id);
  });
});

describe("the cached session look-up", () => {
  it("finds the signed-in person again, and nobody once they signed out", async () => {
    const cookie = await cookieOf(org.people.wes.userId);
    setRequestCookies(cookie);
    expect(await getSessionViewer()).toMatchObject({ userId: org.people.wes.userId, role: "rep" });
    expect(await getSessionViewer()).toMatchObject({ userId: org.people.wes.userId });
    await getAuth().api.signOut({ headers: new Headers({ cookie }) });
    expect(await getSessionViewer()).toBeNull();
  });

  it("ends a deactivated person's session and shows a new role on the next request", async () => {
    // A person of this test's own: the others' reps stay as they are.
    const dan = await db.user.create({
      data: { name: "Dan Departing", email: "dan.departing@test.example", role: "rep", teamId: org.teams.central },
    });
    const danCookie = await cookieOf(dan.id);
    setRequestCookies(danCookie);
    expect(await getSessionViewer()).toMatchObject({ userId: dan.id, role: "rep" });

    await signInAs(org.people.admin);
    const promoted = await updateUserAction(null, form({ userId: dan.id, role: "manager", teamId: org.teams.west }));
    expect(promoted).toMatchObject({ ok: true });
    setRequestCookies(danCookie);
    expect(await getSessionViewer()).toMatchObject({ userId: dan.id, role: "manager", teamId: org.teams.west });

    await signInAs(org.people.admin);
    const deactivated = await deactivateUserAction(null, form({ userId: dan.id }));
    expect(deactivated).toMatchObject({ ok: true });
    setRequestCookies(danCookie);
    expect(await getSessionViewer()).toBeNull();
  });

  it("refuses a cookie that is not a session", async () => {
    setRequestCookies("better-auth.session_token=not-a-real-token");
    expect(await getSessionViewer()).toBeNull();
    setRequestCookies("");
    expect(await getSessionViewer()).toBeNull();
  });
});
