// What the first-day server (scripts/e2e-first-day-server.mjs) sets up and
// tests/e2e/first-day.spec.ts checks: a new admin and a Salesforce
// opportunity report with Salesforce's standard stage names, no mapping.
export const FIRST_DAY = {
  admin: { email: "first.admin@example.com", name: "Frida First", password: "first-day passphrase 2026" },
  report: "tests/fixtures/import/first-day/salesforce-standard-stages.csv",
};
