// `npm run import` as an administrator runs it: spawned against a throwaway
// embedded database, with the exit codes a script or a nightly job relies on
// (0 imported, 1 refused with the rejected rows printed, 2 usage error).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "./import-helpers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
let dir: string;
let env: NodeJS.ProcessEnv;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `npm run import -- …`, and the command it runs without npm in front (quicker, same code). */
const importCommand = (...args: string[]) => run("npm", ["run", "--silent", "import", "--", ...args]);
const importDirect = (...args: string[]) => run(TSX, ["--conditions=react-server", "scripts/import.ts", ...args]);

/** Deals in the throwaway database, read after the command has closed it. */
async function dealCount(): Promise<number> {
  const pglite = await PGlite.create(path.join(dir, "pglite"));
  try {
    const result = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Opportunity"`);
    return result.rows[0]?.n ?? -1;
  } finally {
    await pglite.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "import-command-"));
  env = { ...process.env, PGLITE_DIR: path.join(dir, "pglite") };
  delete env.DATABASE_URL;
  const migrated = await run(TSX, ["scripts/migrate.ts"]);
  expect(migrated).toMatchObject({ code: 0 });
  const generated = await run(TSX, [
    "scripts/generate-import-file.ts",
    "--rows",
    "300",
    "--reps",
    "5",
    "--out",
    path.join(dir, "deals.csv"),
  ]);
  expect(generated).toMatchObject({ code: 0 });
  // Two calls logged against the generated deals, with their own mapping (same source).
  await writeFile(
    path.join(dir, "calls.csv"),
    "Call ID,Deal,When,Direction,Notes\nC-1,D-1,2026-06-01 10:00,inbound,Asked for pricing\nC-2,D-2,2026-06-02 15:30,outbound,Left a voicemail\n",
  );
  await writeFile(
    path.join(dir, "calls.mapping.json"),
    JSON.stringify({
      kind: "activities",
      source: "generated",
      columns: { externalId: "Call ID", dealId: "Deal", at: "When", side: "Direction", summary: "Notes" },
    }),
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let firstImport: ReturnType<typeof importCommand> | undefined;
/**
 * The generated deals and calls imported into the empty database, once per
 * file: the first case checks that import, the others start from it whatever
 * order they run in (neither of them writes).
 */
function importGenerated() {
  // Each mapping goes to the file of its kind, whatever the order they are given in.
  firstImport ??= importCommand(
    path.join(dir, "deals.csv"),
    path.join(dir, "calls.csv"),
    "--mapping",
    path.join(dir, "calls.mapping.json"),
    "--mapping",
    path.join(dir, "deals.mapping.json"),
  );
  return firstImport;
}

describe("npm run import", () => {
  it("imports files with their mappings into an empty database and exits 0", async () => {
    const result = await importGenerated();
    expect(result.stderr).not.toMatch(/failed|refused/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("300 rows: 300 new, 0 updated, 0 unchanged, 0 rejected");
    expect(result.stdout).toMatch(/calls\.csv — Activities: .*\n {2}2 rows: 2 new/);
    expect(result.stdout).toContain("New stages: Discovery, Qualification, Demo, Proposal, Negotiation");
    expect(result.stdout).toMatch(/Imported in [\d.]+s, in one transaction\./);
    expect(await dealCount()).toBe(300);
  });

  it("says there is nothing to change when the same file is tried again", async () => {
    // The import it starts from: a second run of the command when this case runs first (hence the longer timeout).
    await importGenerated();
    const result = await importDirect(
      path.join(dir, "deals.csv"),
      "--mapping",
      path.join(dir, "deals.mapping.json"),
      "--dry-run",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("300 rows: 0 new, 0 updated, 300 unchanged, 0 rejected");
    expect(result.stdout).toContain("Nothing to change: the database already holds everything in the files.");
    expect(result.stdout).toMatch(/Dry run: nothing was written/);
  }, 180_000);

  it("refuses a file with rejected rows, prints each with its line and reason, exits 1 and writes nothing", async () => {
    // The import it starts from: a second run of the command when this case runs first (hence the longer timeout).
    await importGenerated();
    const result = await importDirect(path.join(FIXTURES, "bad-deals.csv"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Rejected rows:");
    expect(result.stdout).toContain("line 3: No deal id: the Deal id (column “Deal ID”) cell is empty.");
    expect(result.stdout).toContain("line 5 (B-4): Amount: “-500” is negative");
    expect(result.stdout).toContain("line 7 (B-1): Deal id “B-1” appears again (first on line 2)");
    expect(result.stderr).toContain("Import refused, nothing was written:");
    expect(await dealCount()).toBe(300);
  }, 180_000);

  it("exits 2 with the usage on a usage error, before opening the database", async () => {
    const mistakes = [
      { args: [], says: "Name at least one CSV file to import." },
      {
        args: [path.join(dir, "deals.csv"), "--as-of", "2026-02-30"],
        says: '--as-of must be a real date like 2026-03-31, not "2026-02-30".',
      },
    ];
    // Neither run opens the database, so they may run side by side.
    const results = await Promise.all(mistakes.map((mistake) => importDirect(...mistake.args)));
    expect(results.map((result) => result.code)).toEqual([2, 2]);
    mistakes.forEach((mistake, index) => {
      expect(results[index]?.stderr).toContain(mistake.says);
      expect(results[index]?.stderr).toContain("Usage: npm run import --");
    });
  });
});
