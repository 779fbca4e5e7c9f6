// The CRMs' own default pipelines, so a first import into an empty database
// creates the stages in the order the CRM has them, whatever order the rows
// come in: Salesforce's standard opportunity stages, HubSpot's default sales
// pipeline (internal names and labels) and Pipedrive's default pipeline. Also
// the words that mean a closed deal ("Closed Won", "closedwon", "Won", …).
// Pure data and lookups.
import type { PresetName } from "./presets";

/** "Proposal/Price Quote" → "proposalpricequote": case, spaces and punctuation do not matter. */
export const stageKey = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, "");

const SALESFORCE = [
  "Prospecting",
  "Qualification",
  "Needs Analysis",
  "Value Proposition",
  "Id. Decision Makers",
  "Perception Analysis",
  "Proposal/Price Quote",
  "Negotiation/Review",
];

/** HubSpot's default sales pipeline: internal name → label. */
export const HUBSPOT_LABELS: Record<string, string> = {
  appointmentscheduled: "Appointment Scheduled",
  qualifiedtobuy: "Qualified To Buy",
  presentationscheduled: "Presentation Scheduled",
  decisionmakerboughtin: "Decision Maker Bought-In",
  contractsent: "Contract Sent",
};

const PIPEDRIVE = ["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"];

const STANDARD_ORDER: Record<PresetName, string[]> = {
  salesforce: SALESFORCE,
  hubspot: [...Object.keys(HUBSPOT_LABELS), ...Object.values(HUBSPOT_LABELS)],
  pipedrive: PIPEDRIVE,
  generic: [],
};

/**
 * Where a stage stands in the preset's default pipeline (0 first), or null
 * when it is not one of them. HubSpot's internal names and labels share a
 * position.
 */
export function standardPosition(preset: PresetName, stage: string): number | null {
  const order = STANDARD_ORDER[preset];
  const key = stageKey(stage);
  const index = order.findIndex((name) => stageKey(name) === key);
  if (index < 0) return null;
  return preset === "hubspot" ? index % Object.keys(HUBSPOT_LABELS).length : index;
}

/** The name a new stage gets: HubSpot's label for its internal name, else the value as written. */
export function newStageName(stage: string): string {
  return HUBSPOT_LABELS[stageKey(stage)] ?? stage;
}

const WON = new Set(["closedwon", "won", "dealwon", "closewon", "wonclosed"]);
const LOST = new Set(["closedlost", "lost", "deallost", "closelost", "lostclosed"]);

/** "Closed Won", "closedwon", "Won" → won; "Closed Lost", "Lost" → lost; else null. */
export function closedStatusOf(stage: string): "won" | "lost" | null {
  const key = stageKey(stage);
  if (WON.has(key)) return "won";
  if (LOST.has(key)) return "lost";
  return null;
}
