import path from "node:path";
import { defineConfig } from "vitest/config";

// A non-UTC zone with daylight saving, so date bugs show in tests.
process.env.TZ = "America/New_York";

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "tests/setup/empty-module.ts"),
  "next/cache": path.resolve(import.meta.dirname, "tests/setup/next-cache.ts"),
  "next/headers": path.resolve(import.meta.dirname, "tests/setup/next-headers.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "prisma/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        // `vitest run --sequence.shuffle` replaces each project's whole
        // `sequence` option with the command line's, dropping groupOrder, and
        // vitest then refuses two projects with different maxWorkers in one
        // group: put it back after the command line's options are merged.
        plugins: [
          {
            name: "db-tests-run-after-unit-tests",
            config(config) {
              config.test ??= {};
              config.test.sequence = { ...config.test.sequence, groupOrder: 1 };
            },
          },
        ],
        test: {
          name: "db",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/database-per-file.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Database files run after the quick unit tests (vitest wants projects
          // with their own worker limits in their own group).
          sequence: { groupOrder: 1 },
          // 2 cores: one database per worker at a time is plenty.
          maxWorkers: 2,
        },
      },
    ],
  },
});
