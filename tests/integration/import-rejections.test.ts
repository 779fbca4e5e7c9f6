// Rows the import refuses: each reason in plain words with the line an editor
// shows, nothing written until the file is fixed (or the person chooses to
// leave those rows out) — and dates that could be read two ways are asked
// about, never guessed.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ImportRefused } from "@/lib/import/run";
import { resetDatabase } from "../fixtures/reset-database";
import { createSmallOrg } from "../fixtures/small-org";
import { apply, databaseState, dealByExternalId, fixture, preview, text } from "./import-helpers";

// Every case starts from the same fresh organisation (nothing imported by
// another case), so each stands alone in any order.
beforeEach(async () => {
  await resetDatabase();
  await createSmallOrg();
});

const HEADER = "Deal ID,Deal name,Owner,Stage,Status,Amount,Opened,Expected close,Closed";

describe("a deals file with bad rows", () => {
  it.each([
    {
      line: 3,
      id: null,
      problem: "the deal id is missing",
      reason: /^No deal id: the Deal id \(column “Deal ID”\) cell is empty\. .*fill it in or delete the row\.$/,
    },
    {
      line: 4,
      id: "B-3",
      problem: "the opened date cannot be read",
      reason:
        /^Opened date \(column “Opened”\): “31\/31\/2026” is not a date we can read\. Use 2026-03-31 \(ISO.*\), 3\/31\/2026 \(US month\/day\/year\) or 31\.03\.2026 \/ 31\/03\/2026 \(European day\/month\/year\)\.$/,
    },
    {
      line: 5,
      id: "B-4",
      problem: "the amount is negative",
      reason: /^Amount: “-500” is negative: a deal's amount must be 0 or more\. Correct it in the file\.$/,
    },
    {
      line: 6,
      id: "B-5",
      problem: "the stage is unknown and not mapped",
      reason:
        /^Stage “Pondering” is not one of your stages and has no mapping: map it to a stage, to won \/ lost \/ prospect, or create it as a new stage\.$/,
    },
    {
      line: 7,
      id: "B-1",
      problem: "the deal id appears twice",
      reason:
        /^Deal id “B-1” appears again \(first on line 2\): each must appear once in the file\. Keep one of the two rows\.$/,
    },
  ])("lists line $line, where $problem, in plain words", async ({ line, id, reason }) => {
    const result = await preview([fixture("bad-deals.csv")]);
    expect(result.files[0]?.rejected.find((rejection) => rejection.line === line)).toEqual({
      line,
      id,
      reason: expect.stringMatching(reason),
    });
  });

  it("rejects exactly those five rows and refuses to import, writing nothing", async () => {
    const before = await databaseState();
    const result = await preview([fixture("bad-deals.csv")]);
    expect(result.files[0]?.rejected.map((rejection) => rejection.line)).toEqual([3, 4, 5, 6, 7]);
    expect(result.files[0]?.counts).toMatchObject({ new: 1, rejected: 5 });
    expect(result.blockers).toEqual([
      "5 rows are rejected (listed with the reason). Fix them in the file and upload it again, or choose to import the rest without them.",
    ]);
    const refusal = await apply([fixture("bad-deals.csv")]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ImportRefused);
    expect((refusal as ImportRefused).message).toMatch(/^5 rows are rejected/);
    expect(await databaseState()).toEqual(before);
  });

  it("adds no owner and creates no stage for a row it rejects", async () => {
    const file = text(
      "half-good.csv",
      "Deal ID,Deal name,Owner,Stage,Amount,Opened\nK-1,Kept,Ana Rep,Discovery,100,2026-05-01\nK-2,Refused,Rita Nobody,Brand new stage,500,\n",
      { mapping: { source: "half-good", stages: { "Brand new stage": "create" } } },
    );
    const result = await apply([file], { skipRejected: true });
    expect(result.files[0]).toMatchObject({ counts: { new: 1, rejected: 1 }, newPeople: [], newStages: [] });
    await expect(db.user.findFirst({ where: { name: "Rita Nobody" } })).resolves.toBeNull();
    await expect(db.stage.findFirst({ where: { name: "Brand new stage" } })).resolves.toBeNull();
  });

  it("imports the good rows when the person chooses to leave the rejected ones out", async () => {
    const result = await apply([fixture("bad-deals.csv")], { skipRejected: true });
    expect(result.files[0]?.counts).toMatchObject({ new: 1, rejected: 5 });
    expect(await dealByExternalId("csv", "B-1")).toMatchObject({ name: "Good deal", stage: { name: "Discovery" } });
    await expect(db.opportunity.count({ where: { source: "csv" } })).resolves.toBe(1);
  });
});

describe("what else a row can get wrong", () => {
  const rows = [
    "R-1,No owner,,Discovery,,1000,2026-05-01,2026-07-01,",
    "R-2,Won without a date,Ana Rep,Discovery,won,1000,2026-05-01,,",
    "R-3,Closed before opened,Ana Rep,Discovery,lost,1000,2026-05-01,,2026-04-01",
    "R-4,No opened date,Ana Rep,Discovery,,1000,,2026-07-01,",
    "R-5,Words for money,Ana Rep,Discovery,,twelve hundred,2026-05-01,2026-07-01,",
    "R-6,Unknown status,Ana Rep,Discovery,paused,1000,2026-05-01,2026-07-01,",
    "R-7,Stage and status disagree,Ana Rep,Closed Won,lost,1000,2026-05-01,2026-07-01,2026-06-01",
  ];
  it.each([
    { line: 2, id: "R-1", reason: "No owner: the Owner cell is empty; fill it in or delete the row." },
    {
      line: 3,
      id: "R-2",
      reason: "The deal is won but has no closed date (nor an expected close date to use as one).",
    },
    { line: 4, id: "R-3", reason: "The closed date (2026-04-01) is before the opened date (2026-05-01)." },
    {
      line: 5,
      id: "R-4",
      reason: "The Opened date is empty: open, won and lost deals need the date they were opened.",
    },
    {
      line: 6,
      id: "R-5",
      reason:
        "Amount: “twelve hundred” is not an amount we can read. Write it like 12500, 12,500.00 or 12.500,00 (a currency symbol or code is fine).",
    },
    { line: 7, id: "R-6", reason: "Status “paused” is not open, won, lost or prospect." },
    { line: 8, id: "R-7", reason: "The stage “Closed Won” means won, but the status says lost." },
  ])("line $line ($id): $reason", async ({ line, id, reason }) => {
    const result = await preview([text("more-bad-deals.csv", [HEADER, ...rows].join("\n"))]);
    expect(result.files[0]?.rejected.find((rejection) => rejection.line === line)).toEqual({ line, id, reason });
  });

  it("rejects activities and history rows of deals it has never seen, and history stages it does not know", async () => {
    const before = await databaseState();
    const result = await preview([
      text("activities.csv", "Activity ID,Deal ID,Date,Type,Side,Summary\nA-1,NOPE-1,2026-06-01,call,buyer,Hello\n", {
        kind: "activities",
      }),
      text(
        "history.csv",
        "Deal ID,Changed at,From stage,To stage\nB-1,2026-05-02,Discovery,Daydreaming\nNOPE-2,2026-05-03,Discovery,Demo\n",
        { kind: "stage-history" },
      ),
    ]);
    const [activities, history] = result.files;
    expect(activities?.rejected).toEqual([
      {
        line: 2,
        id: "A-1",
        reason:
          "Deal “NOPE-1” is not in the database or in this import: import its deals file first (or in the same run).",
      },
    ]);
    expect(history?.rejected).toEqual([
      {
        line: 2,
        id: "B-1",
        reason: expect.stringMatching(/^Stage “Daydreaming” is not one of your stages and has no mapping/),
      },
      {
        line: 3,
        id: "NOPE-2",
        reason: expect.stringMatching(/^Deal “NOPE-2” is not in the database or in this import/),
      },
    ]);
    expect(await databaseState()).toEqual(before);
  });
});

describe("two files of one import naming the same deal or activity", () => {
  const DEALS = "Deal ID,Deal name,Owner,Stage,Amount,Opened";
  const ACTIVITIES = "Activity ID,Deal ID,Date,Type,Side,Summary";

  it("rejects a deal that is in two deals files: which one is newer cannot be told", async () => {
    const before = await databaseState();
    const result = await preview([
      text("q1-deals.csv", `${DEALS}\nZ-1,Zeta pilot,Ana Rep,Discovery,1000,2026-05-01\n`),
      text(
        "q2-deals.csv",
        `${DEALS}\nZ-2,Zeta rollout,Ana Rep,Discovery,5000,2026-05-02\nZ-1,Zeta pilot,Ana Rep,Demo,1000,2026-05-01\n`,
      ),
    ]);
    expect(result.files[1]?.rejected).toEqual([
      {
        line: 3,
        id: "Z-1",
        reason:
          "Deal id “Z-1” is also on line 2 of q1-deals.csv: a deal may appear in only one deals file of an import. Remove it from one of them, or import the files one after the other (the later one then updates the deal).",
      },
    ]);
    await expect(
      apply([
        text("q1-deals.csv", `${DEALS}\nZ-1,Zeta pilot,Ana Rep,Discovery,1000,2026-05-01\n`),
        text("q2-deals.csv", `${DEALS}\nZ-1,Zeta pilot,Ana Rep,Demo,1000,2026-05-01\n`),
      ]),
    ).rejects.toBeInstanceOf(ImportRefused);
    expect(await databaseState()).toEqual(before);
  });

  it("takes an activity listed twice by overlapping exports once, and rejects one whose details differ", async () => {
    const result = await apply(
      [
        text("deals.csv", `${DEALS}\nY-1,Ypsilon,Ana Rep,Discovery,1000,2026-05-01\n`, {
          mapping: { source: "overlap" },
        }),
        text(
          "april-may.csv",
          `${ACTIVITIES}\nA-1,Y-1,2026-05-02,call,buyer,First call\nA-2,Y-1,2026-05-30,email,seller,Proposal sent\n`,
          {
            kind: "activities",
            mapping: { source: "overlap" },
          },
        ),
        text(
          "may-june.csv",
          `${ACTIVITIES}\nA-2,Y-1,2026-05-30,email,seller,Proposal sent\nA-1,Y-1,2026-05-03,call,buyer,First call (moved)\n`,
          {
            kind: "activities",
            mapping: { source: "overlap" },
          },
        ),
      ],
      { skipRejected: true },
    );
    expect(result.files[2]?.counts).toMatchObject({ new: 0, unchanged: 1, rejected: 1 });
    expect(result.files[2]?.rejected).toEqual([
      {
        line: 3,
        id: "A-1",
        reason:
          "Activity “A-1” is also on line 2 of april-may.csv, with other details: keep it in one of the files, or import them one after the other (the later one then updates it).",
      },
    ]);
    const deal = await dealByExternalId("overlap", "Y-1");
    await expect(db.activity.count({ where: { opportunityId: deal.id } })).resolves.toBe(2);
  });
});

describe("dates that could be read two ways", () => {
  const ambiguous = () =>
    text(
      "ambiguous.csv",
      "Deal ID,Deal name,Owner,Stage,Amount,Opened,Expected close\nD-1,Slashes,Ana Rep,Discovery,1000,3/4/2026,6/7/2026\nD-2,More slashes,Ana Rep,Discovery,1000,5/6/2026,8/9/2026\n",
    );

  it("asks for the date order instead of guessing, and writes nothing until it is answered", async () => {
    const before = await databaseState();
    const result = await preview([ambiguous()]);
    expect(result.files[0]?.dateOrder).toEqual({
      status: "question",
      question:
        "Dates in this file such as “3/4/2026” (line 2) could be month/day/year (US) or day/month/year (European), and no date in the file settles it. Choose how the file writes dates.",
      examples: [{ line: 2, text: "3/4/2026" }],
    });
    expect(result.blockers).toEqual(["ambiguous.csv: choose how the file writes dates."]);
    await expect(apply([ambiguous()])).rejects.toBeInstanceOf(ImportRefused);
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    { order: "us" as const, opened: "2026-03-04T12:00:00.000Z", close: "2026-06-07T00:00:00.000Z" },
    { order: "eu" as const, opened: "2026-04-03T12:00:00.000Z", close: "2026-07-06T00:00:00.000Z" },
  ])("reads them as $order once the person answers", async ({ order, opened, close }) => {
    // Each answer imports under its own source, so both can be compared.
    const answered = {
      ...ambiguous(),
      options: { fileName: "ambiguous.csv", dateOrder: order, mapping: { source: order } },
    };
    const result = await apply([answered]);
    expect(result.files[0]?.dateOrder).toMatchObject({ status: "decided", order, chosen: true });
    const deal = await dealByExternalId(order, "D-1");
    expect(deal.openedAt?.toISOString()).toBe(opened);
    expect(deal.expectedCloseDate?.toISOString()).toBe(close);
  });

  it("takes the order from a date that can only be read one way, and says which", async () => {
    const result = await preview([
      text(
        "settled.csv",
        "Deal ID,Deal name,Owner,Stage,Amount,Opened,Expected close\nE-1,Slashes,Ana Rep,Discovery,1000,3/4/2026,6/7/2026\nE-2,Settles it,Ana Rep,Discovery,1000,25/4/2026,8/9/2026\n",
      ),
    ]);
    expect(result.files[0]?.dateOrder).toMatchObject({
      status: "decided",
      order: "eu",
      chosen: false,
      explanation: "Dates are read as day/month/year (European): “25/4/2026” on line 3 can only be read that way.",
    });
  });

  it("asks when the file writes dates both ways", async () => {
    const result = await preview([
      text(
        "both-ways.csv",
        "Deal ID,Deal name,Owner,Stage,Amount,Opened,Expected close\nF-1,US,Ana Rep,Discovery,1000,4/25/2026,6/7/2026\nF-2,European,Ana Rep,Discovery,1000,25/4/2026,8/9/2026\n",
      ),
    ]);
    expect(result.files[0]?.dateOrder).toMatchObject({
      status: "question",
      question: expect.stringMatching(
        /^This file writes dates both ways: “4\/25\/2026” \(line 2\) only makes sense as month\/day, “25\/4\/2026” \(line 3\) only as day\/month\./,
      ),
    });
  });
});
