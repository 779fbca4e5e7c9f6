import { beforeAll, describe, expect, it } from "vitest";
import { listTeamPipelines } from "@/lib/teams/data";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  await createDeal(org, { owner: ana, amount: 10_000, openedDaysAgo: 30 });
  await createDeal(org, { owner: ana, amount: 2_500.5, openedDaysAgo: 400 });
  await createDeal(org, { owner: ana, amount: 99_000, openedDaysAgo: 500, status: "won", closedDaysAgo: 100 });
  await createDeal(org, { owner: ana, amount: 7_000, openedDaysAgo: 90, status: "prospect" });
  // Opened after the as-of date: not yet in the pipeline being looked at.
  await createDeal(org, { owner: ana, amount: 1_000, openedDaysAgo: -3 });
  await createDeal(org, { owner: wes, amount: 40_000, openedDaysAgo: 12 });
  void ben; // Ben has no deals: he must still be listed, with zeros.
});

describe("listTeamPipelines", () => {
  it("sums each rep's open deals only (not won, prospect, or opened after as-of)", async () => {
    const teams = await listTeamPipelines(org.people.admin, AS_OF);
    const central = teams.find((team) => team.teamName === "Central");
    const ana = central?.reps.find((rep) => rep.repName === "Ana Rep");
    expect(ana?.openDeals).toBe(2);
    expect(ana?.openValue.toFixed(2)).toBe("12500.50");
    expect(ana?.oldestOpenDealDays).toBe(400);
    const ben = central?.reps.find((rep) => rep.repName === "Ben Rep");
    expect(ben).toMatchObject({ openDeals: 0, oldestOpenDealDays: null });
    expect(central?.openValue.toFixed(2)).toBe("12500.50");
    expect(central?.managerName).toBe("Carla Manager");
  });

  it("shows an admin every team, a manager only theirs, a rep only themselves", async () => {
    const names = (teams: Awaited<ReturnType<typeof listTeamPipelines>>) =>
      teams.map((team) => `${team.teamName}: ${team.reps.map((rep) => rep.repName).join(", ")}`);
    expect(names(await listTeamPipelines(org.people.admin, AS_OF))).toEqual([
      "Central: Ana Rep, Ben Rep",
      "West: Wes Rep",
    ]);
    expect(names(await listTeamPipelines(org.people.westManager, AS_OF))).toEqual(["West: Wes Rep"]);
    expect(names(await listTeamPipelines(org.people.ben, AS_OF))).toEqual(["Central: Ben Rep"]);
  });
});
