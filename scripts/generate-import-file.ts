// npx tsx scripts/generate-import-file.ts [--rows 100000] [--out /tmp/deals-100k.csv] [--reps 200] [--seed 1]
//
// Writes a generic deals CSV of the given size (with quoted commas, currency
// symbols and thousands separators, like a real export) and, next to it, the
// mapping JSON `npm run import` needs for it (its stages are created by the
// import, so it works on an empty database). Used to measure the import:
//
//   npx tsx scripts/generate-import-file.ts --rows 100000 --out /tmp/deals-100k.csv
//   PGLITE_DIR=/tmp/import-bench npm run db:migrate
//   PGLITE_DIR=/tmp/import-bench npm run import -- /tmp/deals-100k.csv --mapping /tmp/deals-100k.mapping.json
import { createWriteStream, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { seededRandom } from "@/lib/seeded-random";

const USAGE = `Usage: npx tsx scripts/generate-import-file.ts [--rows 100000] [--out /tmp/deals-100k.csv] [--reps 200] [--seed 1]

Writes a generic deals CSV of that many rows (quoted commas, currency symbols,
thousands separators, won / lost / prospect deals) and next to it the mapping
JSON the import needs (<out without .csv>.mapping.json). Its stages are created
by the import, and its owners are added as reps, so it imports into an empty,
freshly migrated database:

  npx tsx scripts/generate-import-file.ts --rows 100000 --out /tmp/deals-100k.csv
  PGLITE_DIR=/tmp/import-bench npm run db:migrate
  PGLITE_DIR=/tmp/import-bench npm run import -- /tmp/deals-100k.csv --mapping /tmp/deals-100k.mapping.json

Add --new-rep-team "Team" to the import to put the new reps in an existing team.`;

function usage(message?: string): never {
  if (message) console.error(`${message}\n`);
  (message ? console.error : console.log)(USAGE);
  process.exit(message ? 2 : 0);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        rows: { type: "string", default: "100000" },
        out: { type: "string", default: "/tmp/deals-100k.csv" },
        reps: { type: "string", default: "200" },
        seed: { type: "string", default: "1" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
}
const values = parseOptions();
if (values.help) usage();
const rows = Number(values.rows);
const reps = Number(values.reps);
const out = values.out as string;
if (!Number.isInteger(rows) || rows < 1) usage(`--rows must be a whole number of deals, not "${values.rows}".`);
if (!Number.isInteger(reps) || reps < 1) usage(`--reps must be a whole number of reps, not "${values.reps}".`);

// Seeded, so two runs with the same --seed write the same file.
const { next: random, pick } = seededRandom(Number(values.seed));

const FIRST = [
  "Ana",
  "Ben",
  "Chloé",
  "Dev",
  "Eva",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jon",
  "Kemal",
  "Lena",
  "Mo",
  "Nora",
];
const LAST = ["Silva", "Okafor", "Nguyen", "Schmidt", "O'Brien", "Kowalski", "Rossi", "Haddad", "Larsen", "Tanaka"];
const COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne"];
const SUFFIX = ["Inc.", "Ltd", "GmbH", "S.A.", "plc", "Group", "Holdings, Inc."];
const STAGES = ["Discovery", "Qualification", "Demo", "Proposal", "Negotiation"];

const owners = Array.from(
  { length: reps },
  (_, i) => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`,
);
const accounts = Array.from(
  { length: Math.max(1, Math.floor(rows / 5)) },
  (_, i) => `${pick(COMPANY)} ${i + 1}, ${pick(SUFFIX)}`,
);
const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const asOf = Date.UTC(2026, 5, 15);

const stream = createWriteStream(out);
const write = (line: string) =>
  stream.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((resolve) => stream.once("drain", () => resolve()));

await write("Deal ID,Deal name,Account,Owner,Stage,Amount,Opened,Expected close,Closed,Status");
for (let i = 1; i <= rows; i++) {
  const account = pick(accounts);
  const opened = asOf - Math.floor(random() * 720) * 86_400_000;
  const roll = random();
  const status = roll < 0.7 ? "open" : roll < 0.85 ? "won" : roll < 0.97 ? "lost" : "prospect";
  const stage = status === "won" ? "Won" : status === "lost" ? "Lost" : pick(STAGES);
  const closed =
    status === "won" || status === "lost"
      ? day(Math.min(asOf, opened + (20 + Math.floor(random() * 200)) * 86_400_000))
      : "";
  const expected = day(opened + (30 + Math.floor(random() * 240)) * 86_400_000);
  const amount = `$${(Math.round(random() * 50_000_000) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
  await write(
    [
      `D-${i}`,
      quote(`${account.split(",")[0]} — deal ${i}`),
      quote(account),
      quote(pick(owners)),
      stage,
      quote(amount),
      status === "prospect" && random() < 0.5 ? "" : day(opened),
      expected,
      closed,
      status,
    ].join(","),
  );
}
stream.end();
await new Promise<void>((resolve) => stream.once("finish", () => resolve()));

const mappingFile = `${out.replace(/\.csv$/i, "")}.mapping.json`;
writeFileSync(
  mappingFile,
  `${JSON.stringify(
    {
      kind: "deals",
      preset: "generic",
      source: "generated",
      columns: {
        externalId: "Deal ID",
        name: "Deal name",
        account: "Account",
        owner: "Owner",
        stage: "Stage",
        amount: "Amount",
        openedAt: "Opened",
        expectedCloseDate: "Expected close",
        closedAt: "Closed",
        status: "Status",
      },
      stages: { ...Object.fromEntries(STAGES.map((stage) => [stage, "create"])), Won: "won", Lost: "lost" },
    },
    null,
    2,
  )}\n`,
);
console.log(`Wrote ${rows.toLocaleString("en-US")} deals to ${out} and the mapping to ${mappingFile}.`);
