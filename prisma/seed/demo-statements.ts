// The demo organisation as a stream of SQL statements, batch by batch: the
// people and accounts, then deal history a few thousand deals at a time, then
// the rows that need every deal. Pure (no database): it runs in the loader's
// worker thread (statement-worker.ts) or, with --no-worker, in the main one.
import type { Statement } from "./bulk-insert";
import { type DemoOptions, planDemoOrganisation, writeDemoDeals } from "./generate";
import { closingStatements, dealStatements, setupStatements } from "./tables";

export interface StatementBatch {
  /** Deals whose history this batch writes (0 for people and closing rows). */
  deals: number;
  statements: Statement[];
}

/** What the summary says about the organisation, beyond the row counts. */
export interface DemoSummary {
  organisationName: string;
  teams: number;
  openDeals: number;
}

export const DEALS_PER_BATCH = 5000;

export function* demoStatements(
  options: DemoOptions,
  dealsPerBatch = DEALS_PER_BATCH,
): Generator<StatementBatch, DemoSummary> {
  const plan = planDemoOrganisation(options);
  yield { deals: 0, statements: setupStatements(plan.setup) };
  const batches = writeDemoDeals(plan, dealsPerBatch);
  for (;;) {
    const next = batches.next();
    if (next.done) {
      yield { deals: 0, statements: closingStatements(next.value) };
      break;
    }
    yield { deals: next.value.opportunities.length, statements: dealStatements(next.value) };
  }
  return {
    organisationName: plan.setup.orgSettings.name,
    teams: plan.setup.teams.length,
    openDeals: plan.deals.filter((deal) => deal.exit === null).length,
  };
}
