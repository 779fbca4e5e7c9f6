// A team's stage board (/board?team=…): every open deal of one team the
// viewer may see, with its owner — a manager's own team whatever the URL
// asks for, any team for an admin.
import { beforeAll, describe, expect, it } from "vitest";
import { getTeamBoard } from "@/lib/deals/board-data";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
  const { ana, ben, wes } = org.people;
  await createDeal(org, {
    owner: ana,
    amount: 10_000,
    openedDaysAgo: 40,
    name: "Ana's demo",
    stageId: org.stages.demo,
  });
  await createDeal(org, { owner: ben, amount: 5_000, openedDaysAgo: 10, name: "Ben's discovery" });
  await createDeal(org, { owner: ben, amount: 5_000, openedDaysAgo: 10, name: "Ben's lost one", status: "lost" });
  await createDeal(org, {
    owner: wes,
    amount: 7_000,
    openedDaysAgo: 20,
    name: "Wes's proposal",
    stageId: org.stages.proposal,
  });
});

const names = (board: Awaited<ReturnType<typeof getTeamBoard>>) => board.deals.map((deal) => deal.name).sort();

describe("getTeamBoard", () => {
  it("shows a manager their own team's open deals, even when the URL names another team", async () => {
    const board = await getTeamBoard(org.people.centralManager, AS_OF, org.teams.west);
    expect(board.team?.name).toBe("Central");
    expect(board.teams.map((team) => team.name)).toEqual(["Central"]);
    expect(names(board)).toEqual(["Ana's demo", "Ben's discovery"]);
    expect(board.deals.find((deal) => deal.name === "Ana's demo")).toMatchObject({
      ownerName: "Ana Rep",
      stageName: "Demo",
      canAct: true,
    });
    expect(board.stages.map((stage) => stage.name)).toEqual([
      "Discovery",
      "Qualification",
      "Demo",
      "Proposal",
      "Negotiation",
    ]);
  });

  it("lets an admin pick any team", async () => {
    const board = await getTeamBoard(org.people.admin, AS_OF, org.teams.west);
    expect(board.team?.name).toBe("West");
    expect(board.teams.map((team) => team.name)).toEqual(["Central", "West"]);
    expect(names(board)).toEqual(["Wes's proposal"]);
  });
});
