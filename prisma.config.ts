// Prisma CLI configuration. The CLI is used only for `prisma generate` and
// `prisma migrate diff` (to write a new migration); migrations are applied by
// our own migrator (`npm run db:migrate`, lib/db/migrate.ts), which works the
// same on PGlite and on a PostgreSQL server. See README "Database".
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

// Without this, `prisma generate` tries to download a native query engine,
// which these machines cannot reach; the client we generate never uses one.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/dev/null";
// The schema's datasource needs a postgres-looking URL even when the CLI goes
// through the adapter below.
process.env.DATABASE_URL ??= "postgresql://placeholder@localhost/placeholder";

// The CLI calls adapter() more than once per command; one in-memory PGlite is
// shared (an on-disk directory opened twice gets corrupted).
let cliDatabase: PGlite | undefined;

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    cliDatabase ??= new PGlite();
    return new PrismaPGlite(cliDatabase);
  },
});
