// What each kind of import file can carry: the fields a column can be mapped
// to, with the label the import page shows and whether the field is needed.
// Pure data, shared by the presets, the mapping form, the row reader and the
// command line.

export const IMPORT_KINDS = ["deals", "activities", "stage-history", "people"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const KIND_LABELS: Record<ImportKind, string> = {
  deals: "Deals",
  activities: "Activities",
  "stage-history": "Stage history",
  people: "People",
};

/** How a cell is read. */
export type FieldType = "text" | "instant" | "day" | "amount" | "flag" | "number";

export interface FieldSpec {
  key: string;
  /** Shown next to the column picker: "<label> column". */
  label: string;
  type: FieldType;
  /** always: a row without it is rejected; status: needed for some statuses (see the hint). */
  required: "always" | "status" | "no";
  hint?: string;
  /** Only presets fill it (not offered in the generic mapping form). */
  presetOnly?: boolean;
}

export const DEAL_FIELDS = [
  { key: "externalId", label: "Deal id", type: "text", required: "always", hint: "The deal's id in your CRM." },
  {
    key: "name",
    label: "Deal name",
    type: "text",
    required: "no",
    hint: "Without one, a deal is named from its account and id.",
  },
  { key: "account", label: "Account", type: "text", required: "no" },
  {
    key: "owner",
    label: "Owner",
    type: "text",
    required: "always",
    hint: "Name or email; owners we do not know yet are added as reps.",
  },
  { key: "ownerEmail", label: "Owner email", type: "text", required: "no" },
  { key: "stage", label: "Stage", type: "text", required: "always" },
  {
    key: "status",
    label: "Status",
    type: "text",
    required: "no",
    hint: "open, won, lost or prospect; else the stage decides.",
  },
  { key: "amount", label: "Amount", type: "amount", required: "no" },
  { key: "currency", label: "Currency", type: "text", required: "no" },
  {
    key: "openedAt",
    label: "Opened date",
    type: "instant",
    required: "status",
    hint: "Needed for open, won and lost deals; prospects may leave it empty.",
  },
  { key: "expectedCloseDate", label: "Expected close date", type: "day", required: "no" },
  {
    key: "closedAt",
    label: "Closed date",
    type: "instant",
    required: "status",
    hint: "For won and lost deals; the expected close date is used when it is empty.",
  },
  { key: "nextStep", label: "Next step", type: "text", required: "no" },
  { key: "lostReason", label: "Lost reason", type: "text", required: "no" },
  {
    key: "lastActivityAt",
    label: "Last activity date",
    type: "instant",
    required: "no",
    hint: "The CRM's own last-activity date; untouched is judged from it (the later of it and the imported activities).",
  },
  { key: "probability", label: "Probability", type: "number", required: "no", presetOnly: true },
  { key: "isWon", label: "Won flag", type: "flag", required: "no", presetOnly: true },
  { key: "isClosed", label: "Closed flag", type: "flag", required: "no", presetOnly: true },
] as const satisfies readonly FieldSpec[];

export const ACTIVITY_FIELDS = [
  {
    key: "externalId",
    label: "Activity id",
    type: "text",
    required: "no",
    hint: "Without one, an activity is recognised by its deal, time, type and summary.",
  },
  { key: "dealId", label: "Deal id", type: "text", required: "always" },
  { key: "at", label: "Date", type: "instant", required: "always" },
  { key: "type", label: "Type", type: "text", required: "no", hint: "call, email, meeting, note, task or other." },
  {
    key: "side",
    label: "Side",
    type: "text",
    required: "no",
    hint: "buyer or seller (inbound / outbound work too); meetings count as buyer effort, the rest as seller effort when empty.",
  },
  { key: "summary", label: "Summary", type: "text", required: "no" },
  {
    key: "done",
    label: "Done",
    type: "text",
    required: "no",
    hint: "Planned activities that are not done yet are skipped.",
  },
] as const satisfies readonly FieldSpec[];

export const STAGE_HISTORY_FIELDS = [
  { key: "dealId", label: "Deal id", type: "text", required: "always" },
  { key: "at", label: "Date of the change", type: "instant", required: "always" },
  { key: "stage", label: "Stage (entered)", type: "text", required: "always" },
  { key: "fromStage", label: "Previous stage", type: "text", required: "no" },
  { key: "closeDate", label: "Expected close date", type: "day", required: "no" },
  { key: "prevCloseDate", label: "Previous expected close date", type: "day", required: "no" },
  { key: "amount", label: "Amount", type: "amount", required: "no" },
  { key: "prevAmount", label: "Previous amount", type: "amount", required: "no" },
] as const satisfies readonly FieldSpec[];

export const PEOPLE_FIELDS = [
  {
    key: "person",
    label: "Person",
    type: "text",
    required: "always",
    hint: "Name or email, as the deals file's owner column writes it.",
  },
  { key: "email", label: "Email", type: "text", required: "no" },
  { key: "team", label: "Team", type: "text", required: "no" },
  {
    key: "manager",
    label: "Manager",
    type: "text",
    required: "no",
    hint: "The person named here becomes the team's manager.",
  },
  { key: "role", label: "Role", type: "text", required: "no", hint: "rep, manager or admin." },
  {
    key: "startDate",
    label: "Start date",
    type: "day",
    required: "no",
    hint: "When they started selling: no-new-pipeline counts from it (or from their first deal, whichever is earlier).",
  },
] as const satisfies readonly FieldSpec[];

export const FIELDS: Record<ImportKind, readonly FieldSpec[]> = {
  deals: DEAL_FIELDS,
  activities: ACTIVITY_FIELDS,
  "stage-history": STAGE_HISTORY_FIELDS,
  people: PEOPLE_FIELDS,
};

export type DealField = (typeof DEAL_FIELDS)[number]["key"];
export type ActivityField = (typeof ACTIVITY_FIELDS)[number]["key"];
export type StageHistoryField = (typeof STAGE_HISTORY_FIELDS)[number]["key"];
export type PeopleField = (typeof PEOPLE_FIELDS)[number]["key"];

export function fieldSpec(kind: ImportKind, key: string): FieldSpec | undefined {
  return FIELDS[kind].find((field) => field.key === key);
}

export function requiredFields(kind: ImportKind): string[] {
  return FIELDS[kind].filter((field) => field.required === "always").map((field) => field.key);
}
