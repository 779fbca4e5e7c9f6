// A deal's opened date. Only a prospect's may be unknown: when the source gave
// none it is stored as null and shown as "date unknown" (SPEC: a date the
// source does not give is never invented). Open, won and lost deals always
// have one — the database refuses otherwise (CHECK constraint
// "Opportunity_openedAt_unless_prospect") — so reads of pipeline deals take it
// through pipelineOpenedAt and keep a plain Date, instead of a `!` at every use.

/** The opened date of an open, won or lost deal (never null for those). */
export function pipelineOpenedAt(deal: { id: number; openedAt: Date | null }): Date {
  if (deal.openedAt === null) {
    throw new Error(
      `Deal #${deal.id} has no opened date, which only a prospect may lack: read pipeline deals with a status filter (open, won or lost).`,
    );
  }
  return deal.openedAt;
}
