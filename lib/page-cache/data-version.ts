// The database's data version: a value that changes with every committed
// write, whoever made it (a server action, an import, a review, a CRM sync,
// the daily jobs, a command-line script on PostgreSQL, raw SQL), so page data
// cached under it is never stale after a write.
//
// It is PostgreSQL's own transaction snapshot, pg_current_snapshot(): the
// next transaction id and the ids still running. A transaction gets an id
// only when it writes, so reads leave it alone and every write (even one rolled
// back) moves it on. Nothing is added to writes — no trigger, no counter row
// that every writer would queue on while an import or a review holds it.
//
// Transaction ids are the server's, not one database's: on a PostgreSQL server
// shared with other databases their writes move it too. That costs cache hits,
// never freshness.
//
// Read it BEFORE the data it keys: data read afterwards is then at least as
// new as the version says. (Two readers with the same snapshot see the same
// committed rows; a transaction still running when the version was read
// changes the snapshot when it ends.)
import "server-only";
import { getConnection } from "@/lib/db";
import type { Query } from "@/lib/db/bulk-sql";

export async function readDataVersion(query: Query = getConnection().sql.query): Promise<string> {
  const rows = await query<{ version: string }>("SELECT pg_current_snapshot()::text AS version");
  const version = rows[0]?.version;
  if (!version) throw new Error("The database did not report its transaction snapshot (pg_current_snapshot).");
  return version;
}
