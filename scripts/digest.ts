// npm run digest [-- --dry-run --out <dir>] [--due-only] [--now <ISO instant>]
//
// Sends the weekly messages that are due (rep digest on the team's meeting
// day, manager brief the day before) and retries failed sends; safe to run
// from cron as often as you like — nothing is sent twice. With --dry-run it
// sends nothing and records nothing: it writes one .eml file per recipient
// (every rep's digest and every manager's brief for their next meeting, or
// only those due now with --due-only) into --out.
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db";
import { sendDueMessages, writeDryRun } from "@/lib/messages/send";

const USAGE = "Usage: npm run digest [-- --dry-run --out <dir>] [--due-only] [--now 2026-12-07T08:00:00Z]";

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let values: { "dry-run"?: boolean; out?: string; "due-only"?: boolean; now?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        "dry-run": { type: "boolean" },
        out: { type: "string" },
        "due-only": { type: "boolean" },
        now: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime()))
    usage(`--now must be a date and time like 2026-12-07T08:00:00Z, not "${values.now}".`);

  if (values["dry-run"]) {
    if (!values.out) usage("--dry-run needs --out <dir>: the folder to write the .eml files into.");
    const written = await writeDryRun(now, path.resolve(values.out), { dueOnly: values["due-only"] });
    for (const message of written) console.log(`${message.kind}\t${message.name}\t${message.subject}`);
    console.log(
      `Wrote ${written.length} ${written.length === 1 ? "message" : "messages"} to ${path.resolve(values.out)} (nothing sent).`,
    );
    return;
  }
  if (values.out) usage("--out goes with --dry-run.");
  const report = await sendDueMessages(now);
  if (report.notSending) {
    console.log(report.notSending);
    return;
  }
  for (const sent of report.sent) console.log(`sent\t${sent.kind}\t${sent.channel}\t${sent.name}\t${sent.period}`);
  for (const skipped of report.skipped) console.log(`skipped\t${skipped.kind}\t${skipped.name}: ${skipped.reason}`);
  for (const failed of report.failed)
    console.error(`FAILED\t${failed.kind}\t${failed.channel}\t${failed.name}: ${failed.error} (will retry)`);
  console.log(`${report.sent.length} sent, ${report.failed.length} failed, ${report.skipped.length} skipped.`);
  if (report.failed.length > 0) process.exitCode = 1;
}

main()
  .then(() => closeDb())
  .then(() => process.exit(process.exitCode ?? 0))
  .catch(async (error: unknown) => {
    console.error(`Digest failed: ${error instanceof Error ? error.message : String(error)}`);
    await closeDb().catch(() => undefined);
    process.exit(1);
  });
