// The demo organisation's shared password. Shown on the sign-in page only
// while the database holds nothing but the demo organisation (demo-data.ts),
// never otherwise.
export const DEMO_PASSWORD = "pipeline-demo-2026";
