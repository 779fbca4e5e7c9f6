// npm run admin:create -- --email <email> --name "<name>"
//
// The first administrator of a database that was not loaded with the demo
// (after `npm run db:migrate`, before or after `npm run import`), or a new
// password for an admin who lost theirs. Creates the person — or promotes and
// reactivates the one with that email — as an active admin with an email +
// password sign-in. The password comes from ADMIN_PASSWORD (at least 10
// characters); when it is not set, one is generated and printed once. Audited.
// Exits 0 when done, 1 when refused or failed, 2 on a usage error.
import { parseArgs } from "node:util";
import { ActionRefused } from "@/lib/action-result";
import { closeDb } from "@/lib/db";
import { describeTarget, resolveDatabaseTarget } from "@/lib/db/target";
import { createOrPromoteAdmin } from "@/lib/users/first-admin";

const USAGE = `Usage: npm run admin:create -- --email <email> --name "<First Last>"
  The password is read from the environment variable ADMIN_PASSWORD (at least 10 characters),
  e.g. ADMIN_PASSWORD='a long passphrase' npm run admin:create -- --email ana@example.com --name "Ana Silva".
  Without ADMIN_PASSWORD a password is generated and printed once.
  An existing person with that email is made an active admin and gets the new password.`;

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, help: { type: "boolean", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.email) throw new UsageError("Give the administrator's email with --email.");
  if (!values.name) throw new UsageError('Give the administrator\'s name with --name "First Last".');
  const password = process.env.ADMIN_PASSWORD;
  if (password !== undefined && password.trim().length < 10) {
    throw new UsageError(
      `ADMIN_PASSWORD has ${password.length} characters: use at least 10 (a passphrase is easiest), or unset it to get a generated one.`,
    );
  }

  console.log(`Database: ${describeTarget(resolveDatabaseTarget())}`);
  const result = await createOrPromoteAdmin({ email: values.email, name: values.name, password });
  const what = {
    created: `Created the administrator ${values.name} <${values.email.trim().toLowerCase()}>.`,
    promoted: `${values.email.trim().toLowerCase()} is now an active administrator.`,
    "password-set": `${values.email.trim().toLowerCase()} was already an administrator: their password is replaced.`,
  }[result.outcome];
  console.log(what);
  if (result.generatedPassword) {
    console.log(`Their password (shown only now; store it safely): ${result.generatedPassword}`);
  } else console.log("Their password is the one in ADMIN_PASSWORD.");
  console.log("Sign in at /sign-in once the app is running (npm run build && npm start).");
  return 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    await closeDb().catch(() => undefined);
    if (error instanceof UsageError) {
      console.error(`${message}\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ActionRefused) {
      console.error(`${message}\n${USAGE}`);
      process.exit(1);
    }
    console.error(`Could not create the administrator: ${message}`);
    if (/relation .* does not exist/.test(message)) {
      console.error("The database is not set up yet: run npm run db:migrate first.");
    }
    process.exit(1);
  });
