// The first day on the command line (issue 10): into an EMPTY embedded
// database, in ONE run and without --skip-rejected — a Salesforce report with
// Salesforce's standard stage names and no mapping, a generic file whose first
// rows are won and lost, and a people file plus a deals file read with the
// mapping `npm run import -- --help` documents (copied from the help text, so
// the documented example is proven to work). Also --write-mapping and the
// command line's own remedies when an import is refused.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAPPING_EXAMPLE } from "@/lib/import/mapping-help";
import { mappingSchema } from "@/lib/import/schema";
import { FIXTURES } from "./import-helpers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const FIRST_DAY = path.join(FIXTURES, "first-day");
let dir: string;
let env: NodeJS.ProcessEnv;

function run(
  args: string[],
  environment: NodeJS.ProcessEnv = env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      args,
      { cwd: ROOT, env: environment, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
const importCommand = (...args: string[]) => run(["--conditions=react-server", "scripts/import.ts", ...args]);

async function query<Row>(sql: string): Promise<Row[]> {
  const pglite = await PGlite.create(path.join(dir, "pglite"));
  try {
    return (await pglite.query<Row>(sql)).rows;
  } finally {
    await pglite.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "import-first-day-"));
  env = { ...process.env, PGLITE_DIR: path.join(dir, "pglite") };
  delete env.DATABASE_URL;
  expect(await run(["scripts/migrate.ts"])).toMatchObject({ code: 0 });
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run import on the first day", () => {
  it("documents a mapping in --help that parses", { timeout: 120_000 }, async () => {
    const help = await importCommand("--help");
    expect(help.code).toBe(0);
    for (const word of [
      "externalId",
      "owner",
      "openedAt",
      '"won"',
      '"lost"',
      '"prospect"',
      '"create"',
      "--skip-rejected",
    ]) {
      expect(help.stdout).toContain(word);
    }
    const example = /\n(\{\n[\s\S]*?\n\})\n/.exec(help.stdout)?.[1];
    const parsed = mappingSchema.safeParse(JSON.parse(example as string));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(MAPPING_EXAMPLE);
    await writeFile(path.join(dir, "acme-crm.mapping.json"), example as string);
  });

  it("imports a Salesforce report, a won/lost-first generic file, people and a mapped deals file in one run", {
    timeout: 300_000,
  }, async () => {
    const mapping = path.join(dir, "acme-crm.mapping.json");
    await writeFile(mapping, JSON.stringify(MAPPING_EXAMPLE));
    const result = await importCommand(
      path.join(FIRST_DAY, "salesforce-standard-stages.csv"),
      path.join(FIRST_DAY, "generic-won-lost-first.csv"),
      path.join(FIRST_DAY, "people.csv"),
      path.join(FIRST_DAY, "acme-crm-deals.csv"),
      "--mapping",
      mapping,
    );
    expect(result.stderr).not.toMatch(/refused|failed/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported in/);
    expect(result.stdout).not.toMatch(/Nothing to change/);
    expect(result.stdout).toMatch(/0 rejected/);
    // Finding 9: the data-quality report says what is missing.
    expect(result.stdout).toMatch(/Data quality:\n {2}No activities imported at all/);
    // The Salesforce report's 5 open deals carry its "Last Activity" date; the other 9 have none.
    expect(result.stdout).toContain("9 of 14 open deals have no activity.");
    expect(result.stdout).toContain("0 of 14 open deals have no amount.");
    expect(result.stdout).toContain("11 of 14 open deals belong to a rep in no team");

    const deals = await query<{ source: string; n: number; won: number; lost: number; prospects: number }>(
      `SELECT source, count(*)::int AS n, count(*) FILTER (WHERE status = 'won')::int AS won,
                count(*) FILTER (WHERE status = 'lost')::int AS lost,
                count(*) FILTER (WHERE status = 'prospect')::int AS prospects
           FROM "Opportunity" GROUP BY source ORDER BY source`,
    );
    expect(deals).toEqual([
      { source: "acme-crm", n: 6, won: 1, lost: 1, prospects: 1 },
      { source: "csv", n: 5, won: 1, lost: 1, prospects: 0 },
      { source: "salesforce", n: 10, won: 1, lost: 1, prospects: 0 },
    ]);
    // Salesforce's stages keep Salesforce's order among themselves.
    const stages = (await query<{ name: string }>(`SELECT name FROM "Stage" ORDER BY "order"`)).map((s) => s.name);
    const salesforce = stages.filter((name) =>
      ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers"].includes(name),
    );
    expect(salesforce).toEqual([
      "Prospecting",
      "Qualification",
      "Needs Analysis",
      "Value Proposition",
      "Id. Decision Makers",
    ]);
    expect(stages.indexOf("Negotiation/Review")).toBeGreaterThan(stages.indexOf("Proposal/Price Quote"));
    expect(stages.indexOf("Demo")).toBeGreaterThan(stages.indexOf("Discovery"));
    // The people file's reps own the mapped deals; their team and start date came with them.
    const rex = await query<{ team: string; start: string; deals: number }>(
      `SELECT t.name AS team, to_char(u."startDate", 'YYYY-MM-DD') AS start,
                (SELECT count(*)::int FROM "Opportunity" o WHERE o."ownerId" = u.id) AS deals
           FROM "User" u JOIN "Team" t ON t.id = u."teamId" WHERE u.email = 'rex.rep@acme.example'`,
    );
    expect(rex).toEqual([{ team: "East", start: "2025-09-01", deals: 3 }]);
  });

  it("writes a starter mapping from a file's header and stage values", { timeout: 300_000 }, async () => {
    // Its own empty database: the stages to "create" are the ones the database
    // does not hold yet, whatever the other tests imported before this one.
    const own = { ...env, PGLITE_DIR: path.join(dir, "pglite-mapping") };
    expect(await run(["scripts/migrate.ts"], own)).toMatchObject({ code: 0 });
    const writeMapping = (...args: string[]) =>
      run(["--conditions=react-server", "scripts/import.ts", "--write-mapping", ...args], own);
    const out = path.join(dir, "starter.json");
    const written = await writeMapping(out, path.join(FIRST_DAY, "generic-won-lost-first.csv"));
    expect(written.code).toBe(0);
    const mapping = mappingSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(mapping).toMatchObject({
      kind: "deals",
      preset: "generic",
      columns: { externalId: "deal_id", owner: "owner", stage: "deal_stage", openedAt: "created", closedAt: "closed" },
      stages: { Won: "won", Lost: "lost", Discovery: "create", Proposal: "create" },
    });
    // Never overwrites a file.
    expect((await writeMapping(out, path.join(FIRST_DAY, "people.csv"))).code).toBe(2);
  });

  it("names command-line remedies when it refuses, and never says there was nothing to change", {
    timeout: 120_000,
  }, async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "deal_id,deal_stage,owner,created\nB-1,Discovery,,2026-01-01\n");
    const refused = await importCommand(bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--skip-rejected/);
    expect(refused.stderr).not.toMatch(/upload it again|choose to import/);
    expect(refused.stdout).not.toMatch(/Nothing to change/);
  });

  it("npm run review prints the as-of date it used: the organisation's fixed one (finding 10)", {
    timeout: 300_000,
  }, async () => {
    // Its own database: a historical export imported with its as-of date fixed.
    const own = { ...env, PGLITE_DIR: path.join(dir, "pglite-review") };
    expect(await run(["scripts/migrate.ts"], own)).toMatchObject({ code: 0 });
    const imported = await run(
      [
        "--conditions=react-server",
        "scripts/import.ts",
        path.join(FIRST_DAY, "salesforce-standard-stages.csv"),
        "--as-of",
        "2026-06-01",
      ],
      own,
    );
    expect(imported.code).toBe(0);
    const review = await run(["--conditions=react-server", "scripts/review.ts"], own);
    expect(review.stderr).not.toMatch(/failed/i);
    expect(review.code).toBe(0);
    expect(review.stdout).toMatch(/as of 2026-06-01 \(the organisation's fixed as-of date\)/);
  });
});
