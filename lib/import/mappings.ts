// Column mappings between the import page's form and the JSON that the
// importer reads (mappingSchema): the mapping a file's form stands for, the
// form a saved mapping gives a file, and the file `npm run import --
// --mapping <file>` reads. Pure, so the page and the tests use the same code.
import type { DateOrder } from "./dates";
import { FIELDS, type ImportKind } from "./fields";
import { normalizeHeader, type PresetName, presetColumns } from "./presets";
import { type Mapping, mappingSchema, NO_COLUMN } from "./schema";

/** What the mapping form of one file holds. */
export interface FileMappingState {
  kind: ImportKind;
  preset: PresetName;
  /** The file's header row. */
  headers: string[];
  /** Field → the columns it is read from, first non-empty wins; empty or absent: not in this file. */
  columns: Record<string, string[]>;
  /** Stage value in the file → our stage's name, "won", "lost", "prospect" or "create" — as the person chose. */
  stages: Record<string, string>;
  /** How the file writes slash dates, when the person chose it. */
  dateOrder: DateOrder | null;
  /** Where the deals come from (re-imports upsert on it); empty: the preset's (or "csv"). */
  source: string;
  /** Currency when the file has no currency column; empty: the organisation's. */
  currency: string;
}

/** The preset's columns for this file: what the form starts from. */
export function suggestedColumns(preset: PresetName, kind: ImportKind, headers: string[]): Record<string, string[]> {
  return presetColumns(preset, kind, headers);
}

/** A fresh form for a file read as this kind and preset. */
export function initialState(kind: ImportKind, preset: PresetName, headers: string[]): FileMappingState {
  return {
    kind,
    preset,
    headers,
    columns: suggestedColumns(preset, kind, headers),
    stages: {},
    dateOrder: null,
    source: "",
    currency: "",
  };
}

/**
 * The mapping the form stands for. Every mapped field is named, so the
 * mapping reads the same file the same way on its own; a field the person
 * took off that the preset would fill in is written as NO_COLUMN.
 */
export function mappingFromState(state: FileMappingState): Mapping {
  const suggested = suggestedColumns(state.preset, state.kind, state.headers);
  const columns: Record<string, string | string[]> = {};
  for (const field of FIELDS[state.kind]) {
    const chosen = (state.columns[field.key] ?? []).filter(Boolean);
    if (chosen.length === 1) columns[field.key] = chosen[0] as string;
    else if (chosen.length > 1) columns[field.key] = chosen;
    else if (suggested[field.key]?.length) columns[field.key] = NO_COLUMN;
  }
  const stages = Object.fromEntries(
    Object.entries(state.stages).filter(([value, target]) => value.trim() && target.trim()),
  );
  const mapping: Mapping = { kind: state.kind, preset: state.preset };
  if (state.source.trim()) mapping.source = state.source.trim();
  if (Object.keys(columns).length) mapping.columns = columns;
  if (Object.keys(stages).length) mapping.stages = stages;
  if (state.dateOrder) mapping.dateOrder = state.dateOrder;
  if (state.currency.trim()) mapping.currency = state.currency.trim().toUpperCase();
  return mapping;
}

/**
 * The form a saved mapping gives a file: its columns found in the file's
 * headers the way the importer finds them (case and spaces ignored). Columns
 * the file does not have are listed, so the page can say so.
 */
export function stateFromMapping(
  mapping: Mapping,
  headers: string[],
  fallback: { kind: ImportKind; preset: PresetName },
): { state: FileMappingState; missingColumns: string[] } {
  const kind = mapping.kind ?? fallback.kind;
  const preset = mapping.preset ?? fallback.preset;
  const byNormal = new Map(headers.map((header) => [normalizeHeader(header), header]));
  const columns = suggestedColumns(preset, kind, headers);
  const missingColumns: string[] = [];
  for (const [field, value] of Object.entries(mapping.columns ?? {})) {
    if (!FIELDS[kind].some((spec) => spec.key === field)) continue;
    const names = Array.isArray(value) ? value : [value];
    const found: string[] = [];
    for (const name of names) {
      const header = byNormal.get(normalizeHeader(name));
      if (header) found.push(header);
      else if (name !== NO_COLUMN) missingColumns.push(name);
    }
    if (found.length) columns[field] = found;
    else delete columns[field];
  }
  return {
    state: {
      kind,
      preset,
      headers,
      columns,
      stages: { ...(mapping.stages ?? {}) },
      dateOrder: mapping.dateOrder ?? null,
      source: mapping.source ?? "",
      currency: mapping.currency ?? "",
    },
    missingColumns,
  };
}

/** "Salesforce opportunities (EU)" → "salesforce-opportunities-eu.json" */
export function mappingFileName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${slug || "mapping"}.json`;
}

/** The mapping as the JSON file `npm run import -- --mapping <file>` reads: exactly what mappingSchema accepts. */
export function mappingFileText(mapping: Mapping): string {
  return `${JSON.stringify(mappingSchema.parse(mapping), null, 2)}\n`;
}
