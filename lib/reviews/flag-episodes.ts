// Writes an evaluation's verdicts as flag episodes (SPEC "Keeping verdicts
// current"), touching only what moved, diffed against the current episodes
// in SQL — an incremental review first reads its candidates and sets aside,
// in TypeScript, the verdicts that did not move. Used by the review run and
// the re-evaluation after an action.
import { chunks, columnRows, pgArray, type Query } from "@/lib/db/bulk-sql";
import { analyzeWhenGrown, FLAG_STATISTICS } from "@/lib/db/statistics";
import { SAMPLE_SIZE_METRICS } from "@/lib/rules/explain-flag";
import type { FlagRow } from "./evaluate";

/** Not compared (explain-flag.ts): a sample size moving as the lookback window slides is no change to the flag. */
const SAMPLE_SIZES = `{${SAMPLE_SIZE_METRICS.join(",")}}`;
const NOT_COMPARED: ReadonlySet<string> = new Set(SAMPLE_SIZE_METRICS);

/** Which current episodes an evaluation speaks for: the ones it may end. */
export type EpisodeScope =
  | { kind: "organisation" }
  | { kind: "team"; teamId: string }
  | { kind: "deals"; dealIds: number[] }
  /** An incremental review (incremental.ts): the deals it judged again, the deals no longer open in
   *  its scope on asOf, and every rep and team flag in its scope (those rules ran in full). */
  | { kind: "changed"; teamId: string | null; dealIds: number[]; asOf: Date };

export interface EpisodeChanges {
  started: number;
  ended: number;
  changed: number;
  /** The deals whose episodes started, ended or changed: whose owners' figures may have moved. */
  dealIds: number[];
  /** True when no episode was current before (a first review): every episode written started here. */
  noneBefore?: boolean;
}

// The same subject and rule, as equalities PostgreSQL can hash-join on.
const sameEpisode = (f: string, t: string) =>
  `${f}.rule = ${t}.rule AND coalesce(${f}."opportunityId", 0) = coalesce(${t}.opportunity_id, 0)
   AND coalesce(${f}."userId", '') = coalesce(${t}.user_id, '') AND coalesce(${f}."teamId", '') = coalesce(${t}.team_id, '')`;

/** Whose flag a row is: a deal's, a rep's or a team's (exactly one of the three ids is set). */
type Subject = "deal" | "rep" | "team";

const SUBJECT_COLUMN: Record<Subject, { flag: string; found: string }> = {
  deal: { flag: `"opportunityId"`, found: "opportunity_id" },
  rep: { flag: `"userId"`, found: "user_id" },
  team: { flag: `"teamId"`, found: "team_id" },
};

/**
 * The current episode of the same subject and rule, for rows of one subject:
 * plain equalities on the subject's own column, which PostgreSQL can either
 * hash-join on or look up in that subject's current-episode index
 * (Flag_current_deal_key and its siblings) — so a review that judged a few
 * thousand deals looks up their episodes instead of scanning every current
 * flag of the organisation (the coalesced form above can only hash-join).
 */
function sameCurrentEpisode(subject: Subject, f: string, t: string): string {
  const others = (Object.keys(SUBJECT_COLUMN) as Subject[]).filter((other) => other !== subject);
  return `${f}."endedAt" IS NULL AND ${f}.${SUBJECT_COLUMN[subject].flag} IS NOT NULL
   AND ${f}.${SUBJECT_COLUMN[subject].flag} = ${t}.${SUBJECT_COLUMN[subject].found} AND ${f}.rule = ${t}.rule
   AND ${others.map((other) => `${f}.${SUBJECT_COLUMN[other].flag} IS NULL`).join(" AND ")}`;
}

const subjectOf = (row: FlagRow): Subject =>
  row.opportunityId !== null ? "deal" : row.userId !== null ? "rep" : "team";

function scopeSql(scope: Exclude<EpisodeScope, { kind: "changed" }>, param: string): string {
  switch (scope.kind) {
    case "organisation":
      return "true";
    case "team":
      return `(f."teamId" = ${param}
        OR f."userId" IN (SELECT id FROM "User" WHERE "teamId" = ${param})
        OR f."opportunityId" IN (SELECT o.id FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId" WHERE u."teamId" = ${param}))`;
    case "deals":
      // A semi-join: `= ANY(<text>::int[])` is not a constant, so a scan parses the whole list again for every row.
      return `f."opportunityId" IN (SELECT unnest(${param}::text::int[]))`;
  }
}

/**
 * An incremental review's current episodes that its verdicts can meet, with
 * `columns` of each (alias f): every rep's and team's in its scope (those
 * rules ran in full) and the deals' it judged again ($deals: their ids). Part
 * by part, each through its own index (current rep, team and deal episodes),
 * rather than by one OR that only a scan of every current flag can test.
 */
function judgedEpisodesSql(
  scope: Extract<EpisodeScope, { kind: "changed" }>,
  columns: string,
  deals: string,
  team: string,
): string {
  const reps = scope.teamId
    ? `SELECT ${columns} FROM "Flag" f JOIN "User" u ON u.id = f."userId"
        WHERE f."endedAt" IS NULL AND f."userId" IS NOT NULL AND u."teamId" = ${team}`
    : `SELECT ${columns} FROM "Flag" f WHERE f."endedAt" IS NULL AND f."userId" IS NOT NULL`;
  const teams = `SELECT ${columns} FROM "Flag" f WHERE f."endedAt" IS NULL AND f."teamId" IS NOT NULL
                  ${scope.teamId ? `AND f."teamId" = ${team}` : ""}`;
  // OFFSET 0 keeps each deal's look-up in the index: joined, the planner
  // preferred hashing every current flag to meet a few thousand deals.
  const judgedDeals = `SELECT episode.* FROM unnest(${deals}::text::int[]) AS d(id)
    CROSS JOIN LATERAL (SELECT ${columns} FROM "Flag" f
                         WHERE f."opportunityId" = d.id AND f."endedAt" IS NULL
                           AND f."opportunityId" IS NOT NULL OFFSET 0) episode`;
  return `${reps}\n UNION ALL ${teams}\n UNION ALL ${judgedDeals}`;
}

/**
 * The current episodes of deals no longer open on asOf in an incremental
 * review's scope: no verdict can meet them (only open deals are judged), so
 * they all end. Found as a merge of two indexes — the deals with a current
 * episode (Flag_current_deal_key) against the open deals
 * (Opportunity_open_id_idx), both read in deal order without their tables —
 * then each such deal's episodes looked up. Joining every current deal
 * episode to the not-open deals read both tables through: on the bench
 * organisation's first-day flags (PGlite, vacuumed) 280–460 ms of CPU
 * against 160–190 ms for this. "Open on asOf" as the
 * review reads it: status open and opened by asOf, an unknown opening date
 * counting as opened (only a prospect's may be unknown: a check constraint).
 */
function closedDealEpisodesSql(scope: Extract<EpisodeScope, { kind: "changed" }>, asOf: string, team: string): string {
  return `SELECT episode.id
      FROM (SELECT DISTINCT f."opportunityId" AS id FROM "Flag" f
             WHERE f."endedAt" IS NULL AND f."opportunityId" IS NOT NULL) flagged
      CROSS JOIN LATERAL (SELECT f.id FROM "Flag" f
                           WHERE f."opportunityId" = flagged.id AND f."endedAt" IS NULL
                             AND f."opportunityId" IS NOT NULL OFFSET 0) episode
     WHERE NOT EXISTS (SELECT 1 FROM "Opportunity" o
                        WHERE o.id = flagged.id AND o.status = 'open'
                          AND (o."openedAt" <= ${asOf}::timestamptz OR o."openedAt" IS NULL))
       ${
         scope.teamId
           ? `AND EXISTS (SELECT 1 FROM "Opportunity" o JOIN "User" u ON u.id = o."ownerId"
                           WHERE o.id = flagged.id AND u."teamId" = ${team})`
           : ""
       }`;
}

/** The scope's parameter, if it has one (PostgreSQL refuses a parameter the statement never uses). */
function scopeParams(scope: Exclude<EpisodeScope, { kind: "changed" }>): unknown[] {
  switch (scope.kind) {
    case "organisation":
      return [];
    case "team":
      return [scope.teamId];
    case "deals":
      return [pgArray(scope.dealIds)];
  }
}

const FOUND_COLUMNS = `opportunity_id int, user_id text, team_id text, rule text, severity text, explanation text, metrics jsonb`;

/** Times a part of the step (the bench's breakdown: "flag episodes/…"); by default untimed. */
export type PartTimer = <T>(part: string, step: () => Promise<T>) => Promise<T>;
const untimed: PartTimer = (_part, step) => step();

/**
 * Writes the verdicts as episodes:
 * - one found again with another severity or other anchors (metrics: the
 *   days its rule counts from, its limit and where that came from, its
 *   counts — lib/rules/explain-flag.ts) is updated in place, its sentence
 *   worded again as of asOf (asOf says when); the sample sizes behind a
 *   cycle or a stage median are not compared (SAMPLE_SIZE_METRICS). The sentence alone is not
 *   compared: it counts days, so it differs every day while nothing about
 *   the deal changed; screens word it as of their own as-of date;
 * - a verdict with no current episode starts one at asOf (reviewId: the
 *   review that started it, null for a re-evaluation);
 * - a current episode in `scope` the evaluation no longer finds ends at asOf.
 * A run that finds exactly what is current writes no flag row.
 *
 * The verdicts travel as one JSON document per 20,000 rows of one subject
 * — deals, reps, teams: each matched on its own current-episode index —
 * (json_to_recordset: on PGlite a third faster than a text array per
 * column), and each document is applied by ONE statement that updates the
 * changed episodes and starts the new ones — no temporary table, so the rows
 * are written once, not twice, and no ANALYZE of a scratch table. The ends
 * need every verdict, so they come last, from the verdicts' keys alone
 * (four compact arrays). An incremental review (scope "changed") first reads
 * the current episodes its verdicts can meet, compactly, and ships only the
 * verdicts that are new or moved (most are neither) and ends by id
 * (writeChangedEpisodes). Callers hold the flag writers' lock
 * (current-flags.ts).
 */
export async function writeFlagEpisodes(
  query: Query,
  rows: FlagRow[],
  scope: EpisodeScope,
  run: { reviewId: number | null; asOf: Date; now: Date },
  timed: PartTimer = untimed,
): Promise<EpisodeChanges> {
  if (await noCurrentEpisode(query)) return startEveryEpisode(query, rows, run);
  if (scope.kind === "changed") return writeChangedEpisodes(query, rows, scope, run, timed);
  const written = await timed("flag episodes/verdicts", () => writeVerdicts(query, rows, run));
  const keys = [
    pgArray(rows.map((row) => row.opportunityId)),
    pgArray(rows.map((row) => row.userId)),
    pgArray(rows.map((row) => row.teamId)),
    pgArray(rows.map((row) => row.flag.rule)),
  ];
  const [ended] = await timed("flag episodes/ends", () =>
    query<{ count: number; deal_ids: string }>(
      `WITH found AS MATERIALIZED (
         SELECT * FROM unnest($1::text::int[], $2::text::text[], $3::text::text[], $4::text::text[])
             AS t(opportunity_id, user_id, team_id, rule)
       ), ended AS (
         UPDATE "Flag" f SET "endedAt" = greatest(f."startedAt", $5::timestamptz)
          WHERE f."endedAt" IS NULL AND ${scopeSql(scope, "$6")}
            AND NOT EXISTS (SELECT 1 FROM found t WHERE ${sameEpisode("f", "t")})
         RETURNING f."opportunityId" AS deal_id)
       SELECT count(*)::int AS count,
              (SELECT coalesce(json_agg(DISTINCT deal_id), '[]')::text FROM ended WHERE deal_id IS NOT NULL) AS deal_ids
         FROM ended`,
      [...keys, run.asOf, ...scopeParams(scope)],
    ),
  );
  for (const id of JSON.parse(ended?.deal_ids ?? "[]") as number[]) written.dealIds.add(id);
  return { ...written, ended: ended?.count ?? 0, dealIds: [...written.dealIds] };
}

/**
 * Updates the verdicts' changed episodes and starts their new ones, one
 * statement per document (see writeFlagEpisodes); ends nothing.
 */
async function writeVerdicts(
  query: Query,
  rows: readonly FlagRow[],
  run: { reviewId: number | null; asOf: Date; now: Date },
): Promise<{ started: number; changed: number; dealIds: Set<number> }> {
  let started = 0;
  let changed = 0;
  const dealIds = new Set<number>();
  const bySubject: Record<Subject, FlagRow[]> = { deal: [], rep: [], team: [] };
  for (const row of rows) bySubject[subjectOf(row)].push(row);
  const parts = (Object.keys(bySubject) as Subject[]).flatMap((subject) =>
    chunks(bySubject[subject]).map((part) => ({ subject, part })),
  );
  for (const { subject, part } of parts) {
    const document = foundDocument(part);
    // Both parts see the episodes as they were before the statement: the
    // update touches only episodes that exist, the insert only verdicts that
    // have none, so they never meet. ON CONFLICT: two re-evaluations of one
    // deal share the lock; if the other started the same episode first, that
    // episode stands.
    const [counts] = await query<{ changed: number; started: number; deal_ids: string }>(
      `WITH found AS MATERIALIZED (
         SELECT * FROM json_to_recordset($1::text::json) AS t(${FOUND_COLUMNS})
       ), changed AS (
         UPDATE "Flag" f SET severity = t.severity::"Severity", explanation = t.explanation, metrics = t.metrics,
                             "asOf" = $2::timestamptz
           FROM found t
          WHERE ${sameCurrentEpisode(subject, "f", "t")}
            AND (f.severity::text, f.metrics - '${SAMPLE_SIZES}'::text[])
                IS DISTINCT FROM (t.severity, t.metrics - '${SAMPLE_SIZES}'::text[])
         RETURNING f."opportunityId" AS deal_id
       ), started AS (
         INSERT INTO "Flag" ("reviewId", "opportunityId", "userId", "teamId", rule, severity, explanation, metrics,
                             "asOf", "createdAt", "startedAt")
         SELECT $3::int, t.opportunity_id, t.user_id, t.team_id, t.rule, t.severity::"Severity", t.explanation,
                t.metrics, $2::timestamptz, $4::timestamptz, $2::timestamptz
           FROM found t
          WHERE NOT EXISTS (SELECT 1 FROM "Flag" f WHERE ${sameCurrentEpisode(subject, "f", "t")})
         ON CONFLICT DO NOTHING
         RETURNING "opportunityId" AS deal_id
       )
       SELECT (SELECT count(*) FROM changed)::int AS changed, (SELECT count(*) FROM started)::int AS started,
              (SELECT coalesce(json_agg(DISTINCT deal_id), '[]')::text
                 FROM (SELECT deal_id FROM changed UNION ALL SELECT deal_id FROM started) moved
                WHERE deal_id IS NOT NULL) AS deal_ids`,
      [document, run.asOf, run.reviewId, run.now],
    );
    changed += counts?.changed ?? 0;
    started += counts?.started ?? 0;
    // The next document's statement joins the episodes this one started: with
    // statistics still counting the table empty (a first review on a
    // PostgreSQL server whose autovacuum analyzed it empty) the planner
    // nested-loops every verdict over every current flag — minutes at 100,000.
    await analyzeWhenGrown(query, [FLAG_STATISTICS], counts?.started ?? 0);
    for (const id of JSON.parse(counts?.deal_ids ?? "[]") as number[]) dealIds.add(id);
  }
  return { started, changed, dealIds };
}

/** What the episode writer compares of a verdict or an episode. */
interface Compared {
  severity: string;
  metrics: Readonly<Record<string, unknown>>;
}

/**
 * True when the SQL comparison in writeVerdicts would find no change: the
 * same severity and the same metrics but the sample sizes, in any key order
 * (as jsonb compares them). A key whose value is undefined counts as absent,
 * as JSON leaves it out. A value read back from jsonb that the review wrote
 * parses to the same number, text or boolean, so equal primitives are equal
 * there too; anything else is compared as JSON text, where any doubt (a
 * nested value's key order) only makes the verdict travel and be compared in
 * SQL. Allocates nothing for flat metrics: it runs for every verdict.
 */
export function sameCompared(a: Compared, b: Compared): boolean {
  if (a.severity !== b.severity) return false;
  let keys = 0;
  for (const key in a.metrics) {
    const value = a.metrics[key];
    if (value === undefined || NOT_COMPARED.has(key)) continue;
    keys++;
    const other = Object.hasOwn(b.metrics, key) ? b.metrics[key] : undefined;
    if (value === other) continue;
    if (typeof value !== "object" || typeof other !== "object" || value === null || other === null) return false;
    if (JSON.stringify(value) !== JSON.stringify(other)) return false;
  }
  for (const key in b.metrics) if (b.metrics[key] !== undefined && !NOT_COMPARED.has(key)) keys--;
  return keys === 0;
}

const episodeKey = (opportunityId: number | null, userId: string | null, teamId: string | null, rule: string) =>
  `${opportunityId ?? ""}|${userId ?? ""}|${teamId ?? ""}|${rule}`;

interface CurrentEpisode {
  id: number;
  opportunity_id: number | null;
  user_id: string | null;
  team_id: string | null;
  rule: string;
  severity: string;
  metrics: Record<string, unknown>;
}

/**
 * An incremental review's write. Its verdicts can only meet the current
 * episodes of the deals it judged and of every rep and team in its scope
 * (judgedEpisodesSql): those are read first, column by column, and compared
 * here (sameCompared). Only the verdicts with no current episode or a
 * moved one travel in full to writeVerdicts — re-judged deals' verdicts are
 * mostly what is current already, and their sentences and metrics were most
 * of the JSON the review used to send and match every day. The episodes read
 * that no verdict meets end by id; so do the current episodes of deals no
 * longer open in scope, which no verdict can meet (only open deals are judged).
 * The review holds the flag writers' lock alone, so nothing moves between the
 * read and the writes.
 */
async function writeChangedEpisodes(
  query: Query,
  rows: readonly FlagRow[],
  scope: Extract<EpisodeScope, { kind: "changed" }>,
  run: { reviewId: number | null; asOf: Date; now: Date },
  timed: PartTimer,
): Promise<EpisodeChanges> {
  const current = await timed("flag episodes/current", () =>
    columnRows<CurrentEpisode>(
      query,
      judgedEpisodesSql(
        scope,
        `f.id, f."opportunityId" AS opportunity_id, f."userId" AS user_id, f."teamId" AS team_id, f.rule,
         f.severity::text AS severity, f.metrics - '${SAMPLE_SIZES}'::text[] AS metrics`,
        "$1",
        "$2",
      ),
      [pgArray(scope.dealIds), ...(scope.teamId ? [scope.teamId] : [])],
      ["id", "opportunity_id", "user_id", "team_id", "rule", "severity", "metrics"],
    ),
  );
  const byKey = new Map<string, CurrentEpisode>();
  for (const episode of current) {
    byKey.set(episodeKey(episode.opportunity_id, episode.user_id, episode.team_id, episode.rule), episode);
  }
  const met = new Set<number>();
  const moved: FlagRow[] = [];
  for (const row of rows) {
    const episode = byKey.get(episodeKey(row.opportunityId, row.userId, row.teamId, row.flag.rule));
    if (episode) met.add(episode.id);
    if (!episode || !sameCompared(episode, row.flag)) moved.push(row);
  }
  const written = await timed("flag episodes/verdicts", () => writeVerdicts(query, moved, run));
  const notFound = current.filter((episode) => !met.has(episode.id)).map((episode) => episode.id);
  const [ended] = await timed("flag episodes/ends", async () => {
    const closed = await query<{ id: number }>(closedDealEpisodesSql(scope, "$1", "$2"), [
      run.asOf,
      ...(scope.teamId ? [scope.teamId] : []),
    ]);
    // By id, each through the primary key: a deal judged again that has closed is in both lists.
    const ending = [...new Set([...notFound, ...closed.map((episode) => episode.id)])];
    return query<{ count: number; deal_ids: string }>(
      `WITH ended AS (
         UPDATE "Flag" f SET "endedAt" = greatest(f."startedAt", $2::timestamptz)
          WHERE f.id IN (SELECT unnest($1::text::int[])) AND f."endedAt" IS NULL
         RETURNING f."opportunityId" AS deal_id)
       SELECT count(*)::int AS count,
              (SELECT coalesce(json_agg(DISTINCT deal_id), '[]')::text FROM ended WHERE deal_id IS NOT NULL) AS deal_ids
         FROM ended`,
      [pgArray(ending), run.asOf],
    );
  });
  for (const id of JSON.parse(ended?.deal_ids ?? "[]") as number[]) written.dealIds.add(id);
  return {
    started: written.started,
    changed: written.changed,
    ended: ended?.count ?? 0,
    dealIds: [...written.dealIds],
  };
}

/** One chunk of verdicts as the JSON document the statements read with json_to_recordset (FOUND_COLUMNS). */
function foundDocument(part: readonly FlagRow[]): string {
  return JSON.stringify(
    part.map((row) => ({
      opportunity_id: row.opportunityId,
      user_id: row.userId,
      team_id: row.teamId,
      rule: row.flag.rule,
      severity: row.flag.severity,
      explanation: row.flag.explanation,
      metrics: row.flag.metrics,
    })),
  );
}

/** True when no episode is current anywhere (an organisation's first review, or flags emptied): on its partial index. */
async function noCurrentEpisode(query: Query): Promise<boolean> {
  const [row] = await query<{ none: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM "Flag" WHERE "endedAt" IS NULL) AS none`,
  );
  return row?.none === true;
}

/**
 * With no current episode there is nothing to match, update or end: every
 * verdict starts an episode. So the verdicts are inserted as they are — the
 * write floor's shape — instead of each being looked up among the current
 * episodes first, and no ANALYZE after each chunk (no statement here joins
 * the rows just written; both callers analyze once after: runReview,
 * reevaluate.ts).
 * ON CONFLICT as in the general path: a verdict given twice starts one episode.
 */
async function startEveryEpisode(
  query: Query,
  rows: readonly FlagRow[],
  run: { reviewId: number | null; asOf: Date; now: Date },
): Promise<EpisodeChanges> {
  let started = 0;
  for (const part of chunks(rows)) {
    const [counts] = await query<{ started: number }>(
      `WITH started AS (
         INSERT INTO "Flag" ("reviewId", "opportunityId", "userId", "teamId", rule, severity, explanation, metrics,
                             "asOf", "createdAt", "startedAt")
         SELECT $3::int, t.opportunity_id, t.user_id, t.team_id, t.rule, t.severity::"Severity", t.explanation,
                t.metrics, $2::timestamptz, $4::timestamptz, $2::timestamptz
           FROM json_to_recordset($1::text::json) AS t(${FOUND_COLUMNS})
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS started FROM started`,
      [foundDocument(part), run.asOf, run.reviewId, run.now],
    );
    started += counts?.started ?? 0;
  }
  // A verdict left out by ON CONFLICT repeats one of the same deal that started: every deal's episodes moved.
  const dealIds = new Set<number>();
  for (const row of rows) if (row.opportunityId !== null) dealIds.add(row.opportunityId);
  return { started, ended: 0, changed: 0, dealIds: [...dealIds], noneBefore: true };
}
