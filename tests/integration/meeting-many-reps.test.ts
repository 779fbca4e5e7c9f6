// Meeting mode over more reps than one query loads (lib/meeting/data.ts loads
// the deals to discuss a hundred reps at a time): every rep's deals are
// still on their own screen, none lost or doubled at the seams.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getMeetingAgenda } from "@/lib/meeting/data";
import { AS_OF, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

const REPS = 230;
let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
  // One late-stage deal each: discussed one by one, flagged or not.
  const reps = await Promise.all(
    Array.from({ length: REPS }, (_, index) =>
      db.user.create({
        data: {
          name: `Rep ${String(index).padStart(3, "0")}`,
          email: `rep${index}@many.example`,
          role: "rep",
          teamId: index % 2 ? org.teams.central : org.teams.west,
        },
      }),
    ),
  );
  await db.opportunity.createMany({
    data: reps.map((rep, index) => ({
      externalId: `many-${index}`,
      source: "test",
      name: `Deal of ${rep.name}`,
      ownerId: rep.id,
      amount: 1000 + index,
      stageId: org.stages.proposal,
      status: "open" as const,
      openedAt: new Date(AS_OF.getTime() - 20 * 86_400_000),
      stageEnteredAt: new Date(AS_OF.getTime() - 20 * 86_400_000),
    })),
  });
});

describe("meeting mode with many reps", () => {
  it("puts each rep's own deal on their screen, across every hundred-rep batch", async () => {
    const agenda = await getMeetingAgenda(org.people.admin, AS_OF);
    const many = agenda.reps.filter((rep) => rep.repName.startsWith("Rep "));
    expect(many).toHaveLength(REPS);
    for (const rep of many) {
      expect(rep.deals.map((deal) => deal.name)).toEqual([`Deal of ${rep.repName}`]);
    }
  });
});
