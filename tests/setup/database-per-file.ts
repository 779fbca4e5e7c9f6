// Runs before each database test file: points the app's `db` at a fresh
// migrated database (see test-database.ts) and closes it afterwards.
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, useConnection } from "@/lib/db";
import { openTestDatabase } from "./test-database";

let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const database = await openTestDatabase(inject("testDatabase"));
  useConnection(database);
  dispose = database.dispose;
}, 60_000);

afterAll(async () => {
  await dispose?.();
  // closeDb would close it a second time; only forget the connection.
  await closeDb().catch(() => undefined);
});
