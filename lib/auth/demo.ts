// The demo organisation's shared password. Shown on the sign-in page only
// while the demo data is loaded (OrgSettings.demoData), never otherwise.
export const DEMO_PASSWORD = "pipeline-demo-2026";
