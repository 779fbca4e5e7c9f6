// The README's permissions table, walked: every role × every action, through
// the real sign-in and the real server actions (or the page's data read) on
// the test database. The table is read from README.md itself, so the README
// and the code cannot drift apart: a row the test cannot try, or an action
// the test knows that the README lacks, fails too.
//
// Scope is tried with people on both sides of it: a rep on their own deal, a
// teammate's and another team's; a manager on their team's and another
// team's; an admin on any team's. A refusal must be a permission refusal,
// not a validation message that happens to say no.
import { readFileSync } from "node:fs";
import path from "node:path";
import { addDays } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { ActionRefused, type ActionResult } from "@/lib/action-result";
import { getAuditPage } from "@/lib/audit/data";
import { recordAudit } from "@/lib/audit/mutations";
import type { Viewer } from "@/lib/auth/viewer";
import { db } from "@/lib/db";
import * as dealActions from "@/lib/deals/actions";
import { getDealTimeline } from "@/lib/deals/deal-timeline";
import { handleImportUpload } from "@/lib/import/http";
import { IMPORT_CONTENT_TYPE } from "@/lib/import/upload";
import { runReviewAction } from "@/lib/reviews/actions";
import { DEFAULT_RULE_SETTINGS } from "@/lib/rules/settings";
import {
  saveQuotasAction,
  saveRuleSettingsAction,
  saveStagesAction,
  saveTeamThresholdsAction,
  setAsOfAction,
} from "@/lib/settings/actions";
import { createUserAction } from "@/lib/users/actions";
import { signInAs } from "../fixtures/sign-in";
import { AS_OF, createDeal, createSmallOrg, type SmallOrg } from "../fixtures/small-org";

type Role = "rep" | "manager" | "admin";
type Cell = "own deals" | "own team" | "all" | "—";
interface Row {
  action: string;
  cells: Record<Role, Cell>;
}

/** The rows between the permissions markers of README.md. */
function readmeTable(): Row[] {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  const table = /<!-- permissions:start -->\n([\s\S]*?)<!-- permissions:end -->/.exec(readme)?.[1];
  if (!table) throw new Error("README.md has no permissions table between <!-- permissions:start/end --> markers");
  const lines = table.trim().split("\n").slice(2); // header and separator
  return lines.map((line) => {
    const [action, rep, manager, admin] = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const cells = { rep, manager, admin } as Record<Role, Cell>;
    for (const [role, cell] of Object.entries(cells)) {
      if (!["own deals", "own team", "all", "—"].includes(cell)) {
        throw new Error(
          `README permissions: "${cell}" for ${role} on "${action}" is not one of own deals, own team, all, —`,
        );
      }
    }
    return { action: action as string, cells };
  });
}

let org: SmallOrg;

beforeAll(async () => {
  org = await createSmallOrg();
});

/** What an attempt found: allowed, or refused with the message a person would read. */
type Outcome = { allowed: true } | { allowed: false; message: string };

const fromResult = (result: ActionResult<unknown>): Outcome =>
  result.ok ? { allowed: true } : { allowed: false, message: result.message };

async function fromThrow(attempt: () => Promise<unknown>): Promise<Outcome> {
  try {
    await attempt();
    return { allowed: true };
  } catch (error) {
    if (error instanceof ActionRefused) return { allowed: false, message: error.message };
    throw error;
  }
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const inTenDays = day(addDays(new Date(), 10));

/** A fresh open deal of the subject's in the Demo stage, so every allowed change has something to change. */
async function freshDeal(subject: Viewer) {
  const deal = await createDeal(org, { owner: subject, amount: 12_000, openedDaysAgo: 120, stageId: org.stages.demo });
  return { dealId: deal.id, version: deal.version };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

let newPeople = 0;

/**
 * How each README row is tried. `scoped` rows take a subject (whose deal,
 * quota or audit events); the others are tried once, on the actor's own scope.
 */
const ATTEMPTS: Record<string, { scoped: boolean; attempt: (actor: Viewer, subject: Viewer) => Promise<Outcome> }> = {
  "see a deal and its history": {
    scoped: true,
    attempt: async (actor, subject) => {
      const { dealId } = await freshDeal(subject);
      const timeline = await getDealTimeline(actor, dealId, AS_OF);
      return timeline ? { allowed: true } : { allowed: false, message: "not found" };
    },
  },
  "log activity": {
    scoped: true,
    attempt: async (_actor, subject) => {
      const { dealId } = await freshDeal(subject);
      return fromResult(
        await dealActions.logActivityAction({ dealId, type: "call", side: "buyer", at: new Date().toISOString() }),
      );
    },
  },
  "update next step, expected close date, amount": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.updateDealAction({
          ...(await freshDeal(subject)),
          nextStep: "Send the revised proposal",
          amount: "13500",
        }),
      ),
  },
  "waiting on buyer until (at most 30 days, a setting)": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.waitingOnBuyerAction({
          ...(await freshDeal(subject)),
          reason: "Budget review",
          until: inTenDays,
        }),
      ),
  },
  "keep with a waiver (at most 30 days, a setting)": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.keepDealWithWaiverAction({
          ...(await freshDeal(subject)),
          reason: "Signed order expected",
          until: inTenDays,
        }),
      ),
  },
  "move back a stage": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(await dealActions.moveDealBackAction({ ...(await freshDeal(subject)), reason: "No demo held" })),
  },
  "return to prospecting": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.returnDealToProspectingAction({ ...(await freshDeal(subject)), reason: "Not a project yet" }),
      ),
  },
  "remove from pipeline": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.removeDealFromPipelineAction({ ...(await freshDeal(subject)), reason: "Chose a rival" }),
      ),
  },
  "bulk move back, return to prospecting or remove": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await dealActions.bulkDealAction({
          action: "remove",
          deals: [await freshDeal(subject), await freshDeal(subject)],
          reason: "stale — removed in review",
        }),
      ),
  },
  "run a review": { scoped: false, attempt: async () => fromResult(await runReviewAction()) },
  "change the organisation's rule thresholds": {
    scoped: false,
    attempt: async () => fromResult(await saveRuleSettingsAction({ ...DEFAULT_RULE_SETTINGS })),
  },
  "set a team's rule thresholds": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(await saveTeamThresholdsAction({ teamId: subject.teamId, overrides: { untouchedDays: 100 } })),
  },
  "change stages": {
    scoped: false,
    attempt: async () =>
      fromResult(
        await saveStagesAction(
          null,
          form({
            [`stage-${org.stages.discovery}-order`]: "1",
            [`stage-${org.stages.discovery}-probability`]: "10",
            [`stage-${org.stages.discovery}-early`]: "on",
          }),
        ),
      ),
  },
  "set quotas": {
    scoped: true,
    attempt: async (_actor, subject) =>
      fromResult(
        await saveQuotasAction(
          null,
          form({ periodStart: "2026-07-01", periodEnd: "2026-09-30", [`quota-${subject.userId}`]: "150000" }),
        ),
      ),
  },
  "fix the as-of date": {
    scoped: false,
    attempt: async () => fromResult(await setAsOfAction(null, form({ intent: "clear", asOf: "" }))),
  },
  "import CRM exports": {
    scoped: false,
    attempt: async () => {
      const response = await handleImportUpload(
        new Request("http://localhost:3000/api/import/preview", {
          method: "POST",
          headers: { "content-type": IMPORT_CONTENT_TYPE },
          body: "not an upload\n",
        }),
        "preview",
      );
      const { message } = (await response.json()) as { message: string };
      if (response.status === 401 || response.status === 403) return { allowed: false, message };
      // Past the role check an admin's unreadable upload is a 400 about the upload itself.
      expect(response.status, message).toBe(400);
      return { allowed: true };
    },
  },
  "manage people (add, change, deactivate, set passwords)": {
    scoped: false,
    attempt: async () => {
      newPeople += 1;
      return fromResult(
        await createUserAction(undefined, {
          name: `New Person ${newPeople}`,
          email: `new.person.${newPeople}@test.example`,
          role: "rep",
          teamId: org.teams.central,
          password: "a-long-enough-password",
        }),
      );
    },
  },
  "read the audit trail": {
    scoped: true,
    attempt: async (actor, subject) => {
      const { dealId } = await freshDeal(subject);
      await recordAudit(db, {
        actorId: subject.userId,
        action: "deal.update",
        entityType: "opportunity",
        entityId: dealId,
        after: { nextStep: "Call" },
      });
      const outcome = await fromThrow(async () => {
        const page = await getAuditPage(actor, { deal: `#${dealId}`, page: 1 });
        if (page.total !== 1) throw new ActionRefused("not in this person's audit trail");
      });
      return outcome;
    },
  },
};

/** Who tries, and on whose records: each subject with the widest cell that still allows it. */
function cases(role: Role): { actor: Viewer; subjects: { subject: Viewer; allowedBy: Cell[] }[] } {
  const { admin, centralManager, ana, ben, wes } = org.people;
  switch (role) {
    case "rep":
      return {
        actor: ana,
        subjects: [
          { subject: ana, allowedBy: ["own deals", "own team", "all"] },
          { subject: ben, allowedBy: ["own team", "all"] },
          { subject: wes, allowedBy: ["all"] },
        ],
      };
    case "manager":
      return {
        actor: centralManager,
        subjects: [
          { subject: ana, allowedBy: ["own deals", "own team", "all"] },
          { subject: wes, allowedBy: ["all"] },
        ],
      };
    case "admin":
      return { actor: admin, subjects: [{ subject: wes, allowedBy: ["own deals", "own team", "all"] }] };
  }
}

/** What a permission refusal says (not a validation message or an unexpected error). */
const REFUSAL =
  /does not exist or is not yours|^Only |own team|Reviews are run by managers|not found|not in this person's audit trail/;

describe("the README's permissions table", () => {
  it("has a way to try every row, and every known action is in it", () => {
    const rows = readmeTable().map((row) => row.action);
    expect(rows.sort()).toEqual(Object.keys(ATTEMPTS).sort());
  });

  for (const role of ["rep", "manager", "admin"] as const) {
    it(`holds for every action ${role === "admin" ? "an" : "a"} ${role} tries`, async () => {
      const { actor, subjects } = cases(role);
      await signInAs(actor);
      const mismatches: string[] = [];
      for (const row of readmeTable()) {
        const how = ATTEMPTS[row.action];
        if (!how) throw new Error(`No attempt for README row "${row.action}"`);
        const cell = row.cells[role];
        const tried = how.scoped ? subjects : subjects.slice(0, 1);
        for (const { subject, allowedBy } of tried) {
          const expected = how.scoped ? allowedBy.includes(cell) : cell !== "—";
          const outcome = await how.attempt(actor, subject);
          const where = how.scoped ? ` on ${subject.name}'s` : "";
          if (outcome.allowed !== expected) {
            mismatches.push(
              `${role} "${row.action}"${where}: README says ${cell}, code ${outcome.allowed ? "allowed it" : `refused: ${outcome.message}`}`,
            );
          } else if (!outcome.allowed && !REFUSAL.test(outcome.message)) {
            mismatches.push(`${role} "${row.action}"${where}: refused, but not for permission: ${outcome.message}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
