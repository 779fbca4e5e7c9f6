// The mapping file of `npm run import -- --mapping <file>`, explained for
// `--help` from the same field lists the import reads (fields.ts), with one
// complete example that the tests parse and import; and a starter mapping
// written from a file's header (`--write-mapping`). Pure.
import { FIELDS, IMPORT_KINDS, type ImportKind } from "./fields";
import { detectFile, presetColumns } from "./presets";
import type { Mapping } from "./schema";
import { CREATE_STAGE, NO_COLUMN, STAGE_STATUS_TARGETS } from "./schema";
import { closedStatusOf } from "./standard-stages";

/** A complete mapping for a generic deals file (its header: the column names below). */
export const MAPPING_EXAMPLE = {
  kind: "deals",
  preset: "generic",
  source: "acme-crm",
  columns: {
    externalId: "Deal ID",
    name: "Deal",
    account: "Company",
    owner: ["Owner", "Owner email"],
    stage: "Stage",
    status: "Status",
    amount: "Value",
    currency: "Currency",
    openedAt: "Created",
    expectedCloseDate: "Expected close",
    closedAt: "Closed",
    nextStep: "Next step",
    lostReason: "Lost reason",
  },
  stages: {
    Discovery: "create",
    Demo: "create",
    Proposal: "create",
    Signed: "won",
    Dropped: "lost",
    Nurture: "prospect",
  },
  dateOrder: "eu",
  currency: "EUR",
} satisfies Mapping;

function fieldLines(kind: ImportKind): string[] {
  return FIELDS[kind].map((field) => {
    const need = field.required === "always" ? "required" : field.required === "status" ? "see hint" : "optional";
    return `      ${field.key.padEnd(18)} ${field.label} (${need})${field.hint ? ` — ${field.hint}` : ""}`;
  });
}

/** The mapping format, for `npm run import -- --help`. */
export function mappingHelp(): string {
  return [
    "Mapping file (JSON, passed with --mapping; several --mapping for several files, matched by their kind):",
    `  kind        ${IMPORT_KINDS.join(" | ")} (optional: else detected from the header)`,
    "  preset      salesforce | hubspot | pipedrive | generic (optional: else detected from the header)",
    '  source      where the deals come from, e.g. "acme-crm"; re-imports update deals matched on source + deal id',
    "  columns     field → the column it is read from, or a list of columns (the first non-empty cell wins);",
    `              "${NO_COLUMN}" leaves a field out. Fields per kind:`,
    ...IMPORT_KINDS.flatMap((kind) => [`    ${kind}:`, ...fieldLines(kind)]),
    "  stages      stage value in the file → one of your stage names (same spelling as on the Settings page),",
    `              or ${STAGE_STATUS_TARGETS.map((target) => `"${target}"`).join(", ")}, or "${CREATE_STAGE}" (a new stage of that name;`,
    "              new stages are ordered as the mapping lists them). On an empty database every stage the file",
    "              names is created without a mapping, and Closed Won / Won / Closed Lost / Lost are recognised.",
    "  dateOrder   us (month/day/year) | eu (day/month/year), for files whose slash dates could be either",
    "  currency    three-letter code when the file has no currency column (default: the organisation's)",
    "",
    "A complete example, for a file with the header",
    `  ${Object.values(MAPPING_EXAMPLE.columns).flat().join(",")}`,
    "",
    JSON.stringify(MAPPING_EXAMPLE, null, 2),
    "",
    "npm run import -- --write-mapping my.mapping.json export.csv writes a starter mapping from a file's header.",
  ].join("\n");
}

/** What a starter mapping says for a required field no header matched: the import then names it as missing. */
export const CHOOSE_A_COLUMN = "CHOOSE A COLUMN";

/**
 * A starter mapping for a file: what the import would read from each column
 * (the detected preset's, or the generic suggestions), every required field
 * present (an unknown one named CHOOSE_A_COLUMN), and every stage value the
 * file holds mapped to won / lost when its name says so, else to a new stage.
 */
export function starterMapping(headers: readonly string[], stageValues: readonly string[] = []): Mapping {
  const detected = detectFile(headers);
  const found = presetColumns(detected.preset, detected.kind, headers);
  const columns: Record<string, string | string[]> = {};
  for (const field of FIELDS[detected.kind]) {
    const names = found[field.key];
    if (names?.length) columns[field.key] = names.length === 1 ? (names[0] as string) : names;
    else if (field.required === "always") columns[field.key] = CHOOSE_A_COLUMN;
  }
  const mapping: Mapping = { kind: detected.kind, preset: detected.preset, columns };
  if (detected.preset === "generic") mapping.source = "csv";
  if (stageValues.length) {
    mapping.stages = Object.fromEntries(stageValues.map((value) => [value, closedStatusOf(value) ?? CREATE_STAGE]));
  }
  return mapping;
}
