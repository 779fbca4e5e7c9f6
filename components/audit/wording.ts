// Plain words for the audit trail: what each recorded action means, what it
// was about (with a link), and its before → after as "key: old → new" lines.
// Pure, so it is unit-tested; the JSON shapes come from the mutations that
// record them (lib/deals, lib/settings, lib/users, lib/reviews, imports).
import { formatCount, formatDate, formatMoney } from "@/lib/format";
import { RULE_SETTING_FIELDS } from "@/lib/rules/settings";

/** Every action string the app records, as a person would say it. */
export const ACTION_LABELS: Record<string, string> = {
  "deal.move_back": "Moved back a stage",
  "deal.return_to_prospecting": "Returned to prospecting",
  "deal.remove": "Removed from the pipeline",
  "deal.keep_with_waiver": "Kept with a waiver",
  "deal.waiting_on_buyer": "Recorded waiting on the buyer",
  "deal.log_activity": "Logged an activity",
  "deal.update": "Updated the deal",
  "review.run": "Ran a review",
  "settings.rules.update": "Changed rule thresholds",
  "settings.update": "Changed the settings",
  "settings.as-of.fix": "Fixed the as-of date",
  "settings.as-of.clear": "Went back to reading the data as of today",
  "stage.update": "Changed a stage",
  "quota.create": "Set a quota",
  "quota.update": "Changed a quota",
  "quota.remove": "Removed a quota",
  "user.create": "Added a person",
  "user.update": "Changed a person's role or team",
  "user.deactivate": "Deactivated a person",
  "user.reactivate": "Reactivated a person",
  "user.password_reset": "Set a new password",
  "team.manager.change": "Changed a team's manager",
  "import.apply": "Imported CSV files",
  "deal.import_update": "Updated the deal from an import",
  "user.import_create": "Added a person from an import",
  "user.import_update": "Changed a person's role or team from an import",
  "team.import_manager": "Set a team's manager from an import",
  "settings.import_mapping.create": "Saved an import mapping",
  "settings.import_mapping.replace": "Replaced a saved import mapping",
  "settings.import_mapping.rename": "Renamed a saved import mapping",
};

/** Families of actions not listed one by one (e.g. whatever an import records). */
const PREFIX_LABELS: [prefix: string, label: string][] = [
  ["import.", "Imported data"],
  ["deal.", "Changed a deal"],
  ["settings.", "Changed the settings"],
  ["stage.", "Changed a stage"],
  ["quota.", "Changed a quota"],
  ["user.", "Changed a person"],
  ["team.", "Changed a team"],
  ["review.", "Review"],
];

export function actionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const family = PREFIX_LABELS.find(([prefix]) => action.startsWith(prefix));
  const detail = humanize(action.split(".").slice(1).join(" ") || action);
  return family ? `${family[1]} (${detail})` : capitalise(humanize(action));
}

/** "expectedCloseDate" / "move_back" / "as-of" → "expected close date" / "move back" / "as of". */
function humanize(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[._-]+/g, " ")
    .trim()
    .toLowerCase();
}

const capitalise = (text: string) => (text ? text[0]?.toUpperCase() + text.slice(1) : text);

const RULE_FIELDS = new Map(RULE_SETTING_FIELDS.map((field) => [field.key as string, field]));

const KEY_LABELS: Record<string, string> = {
  stage: "Stage",
  status: "Status",
  reason: "Reason",
  nextStep: "Next step",
  expectedCloseDate: "Expected close date",
  amount: "Amount",
  until: "Until",
  waiver: "Waiver",
  activityId: "Activity",
  type: "Type",
  side: "Whose effort",
  at: "When",
  asOf: "As of",
  teamId: "Team",
  flaggedDeals: "Deals flagged",
  name: "Name",
  email: "Email",
  role: "Role",
  team: "Team",
  manages: "Manages",
  manager: "Manager",
  active: "Can sign in",
  sessionsEnded: "Signed out of",
  signIn: "Sign-in",
  order: "Place in the pipeline",
  probability: "Win probability",
  early: "Early stage",
  maxDaysInStage: "Longest time in stage",
  rep: "Rep",
  periodStart: "Period from",
  periodEnd: "Period to",
};

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? RULE_FIELDS.get(key)?.label ?? capitalise(humanize(key));
}

export interface DiffContext {
  currency: string;
  /** Team id → name, for values that are team ids. */
  teamNames: Record<string, string>;
}

const WORDS: Record<string, Record<string, string>> = {
  status: { open: "Open", prospect: "Prospecting", won: "Won", lost: "Lost" },
  role: { admin: "Admin", manager: "Manager", rep: "Rep" },
  side: { buyer: "The buyer's", seller: "Ours (seller)" },
  waiver: { waiting_on_buyer: "Waiting on the buyer", manager_keep: "Kept by a manager" },
  type: { call: "Call", email: "Email", meeting: "Meeting", note: "Note", task: "Task", other: "Other" },
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONEY_KEYS = new Set(["amount", "fromAmount", "toAmount", "value", "openValue"]);

/** One value of a before/after object, in words. */
export function formatAuditValue(key: string, value: unknown, context: DiffContext): string {
  if (key === "teamId" && value === null) return "the whole organisation";
  if (value === null || value === undefined || value === "") return "—";
  if (key === "active" && typeof value === "boolean") return value ? "yes (active)" : "no (deactivated)";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (key === "teamId" && typeof value === "string") return context.teamNames[value] ?? "another team";
  if (key === "sessionsEnded" && typeof value === "number") return value === 1 ? "1 session" : `${value} sessions`;
  if (key === "activityId") return `#${String(value)}`;
  if (typeof value === "number") {
    const unit = RULE_FIELDS.get(key)?.unit;
    const text = Number.isInteger(value) ? formatCount(value) : String(value);
    if (key === "probability") return `${text}%`;
    if (key === "maxDaysInStage") return `${text} days`;
    return unit ? (unit.startsWith("×") ? `${text}×` : `${text} ${unit}`) : text;
  }
  if (typeof value === "string") {
    if (MONEY_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return formatMoney(value, context.currency);
    const word = WORDS[key]?.[value];
    if (word) return word;
    if (ISO_DAY.test(value)) return formatDate(new Date(`${value}T00:00:00.000Z`));
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return formatDate(new Date(value));
    return value;
  }
  return JSON.stringify(value);
}

export interface DiffLine {
  key: string;
  label: string;
  /** null when the key did not exist on that side (an addition or a removal). */
  before: string | null;
  after: string | null;
}

const asObject = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/**
 * The change as lines, one per key whose value differs (keys only on one side
 * included). Keys equal on both sides are context, not change, and are left out.
 */
export function auditDiff(before: unknown, after: unknown, context: DiffContext): DiffLine[] {
  const old = asObject(before) ?? {};
  const next = asObject(after) ?? {};
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return keys
    .filter((key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]))
    .map((key) => ({
      key,
      label: keyLabel(key),
      before: key in old ? formatAuditValue(key, old[key], context) : null,
      after: key in next ? formatAuditValue(key, next[key], context) : null,
    }));
}

export interface EntityView {
  label: string;
  href?: string;
}

export interface EntityInput {
  entityType: string;
  entityId: string;
  deal: { id: number; name: string } | null;
  subject: { id: string; name: string } | null;
  before: unknown;
  after: unknown;
}

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/** What the change was about, linked where there is a page for it. */
export function describeEntity(entry: EntityInput, options: { canManagePeople: boolean }): EntityView {
  const either = (key: string) => text(asObject(entry.after)?.[key]) ?? text(asObject(entry.before)?.[key]);
  switch (entry.entityType) {
    case "opportunity":
      return entry.deal
        ? { label: entry.deal.name, href: `/deals/${entry.deal.id}` }
        : { label: `Deal #${entry.entityId} (no longer exists)` };
    case "user": {
      const name = entry.subject?.name ?? either("name") ?? "a person";
      return options.canManagePeople && entry.subject
        ? { label: name, href: `/users/${encodeURIComponent(entry.subject.id)}` }
        : { label: name };
    }
    case "team":
      return { label: `Team ${either("team") ?? ""}`.trim() };
    case "review":
      return { label: `Review #${entry.entityId}` };
    case "settings":
      return entry.entityId.startsWith("import-mapping:")
        ? { label: `Import mapping “${either("name") ?? entry.entityId}”`, href: "/import" }
        : { label: "Organisation settings", href: "/settings" };
    case "stage":
      return { label: `Stage “${either("name") ?? entry.entityId}”`, href: "/settings#stages" };
    case "quota":
      return {
        label: either("rep") ? `Quota of ${either("rep")}` : `Quota #${entry.entityId}`,
        href: "/settings#quotas",
      };
    case "import":
      return { label: `Import ${entry.entityId}` };
    default:
      return { label: `${capitalise(humanize(entry.entityType))} ${entry.entityId}` };
  }
}
