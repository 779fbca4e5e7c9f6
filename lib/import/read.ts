// Reads one import file into typed rows and rejected rows, without the
// database: which CRM and which kind of file, which column holds what, the
// file's date order, and per row every problem that the file alone shows
// (missing id, unreadable date or amount, negative amount, duplicate id).
// Problems that need the database (unknown stage, unknown deal) are found
// when the rows are planned (plan.ts).
//
// The CSV is streamed; rows are kept as the few cells the mapping uses.
import type { ActivitySide, ActivityType, DealStatus, Role } from "@/lib/generated/prisma/enums";
import { parseAmount } from "./amounts";
import { type CsvProgress, type CsvSource, readCsv } from "./csv";
import {
  ACCEPTED_DATE_FORMATS,
  type DateOrder,
  type DateOrderDecision,
  decideDateOrder,
  emptyEvidence,
  noteDateEvidence,
  resolveDate,
} from "./dates";
import { FIELDS, type FieldSpec, type ImportKind, KIND_LABELS, requiredFields } from "./fields";
import {
  type ColumnMapping,
  detectFile,
  normalizeHeader,
  type PresetName,
  presetColumns,
  presetSource,
  stageEntryColumns,
} from "./presets";
import type { FileOptions } from "./schema";

export interface Rejection {
  line: number;
  /** The row's deal / activity id or person, when it has one. */
  id: string | null;
  reason: string;
}

export interface DealRow {
  line: number;
  externalId: string;
  /** undefined: the file has no such column (the deal keeps what it has); null: the cell is empty. */
  name?: string | null;
  account?: string | null;
  owner: string;
  ownerEmail?: string | null;
  stage: string | null;
  status: DealStatus | null;
  amount?: string | null;
  currency?: string | null;
  openedAt?: Date | null;
  expectedCloseDate?: Date | null;
  closedAt?: Date | null;
  /** The CRM's last-activity date for the deal (no side known). */
  lastActivityAt?: Date | null;
  nextStep?: string | null;
  lostReason?: string | null;
  probability: number | null;
  /** HubSpot's "Date entered" columns: the stages the deal entered and when. */
  stageEntries: { stage: string; at: Date }[];
}

export interface ActivityRow {
  line: number;
  externalId: string | null;
  dealId: string;
  at: Date;
  type: ActivityType;
  side: ActivitySide;
  sideInferred: boolean;
  summary: string | null;
}

export interface StageEventRow {
  line: number;
  dealId: string;
  at: Date;
  stage: string;
  fromStage: string | null;
  closeDate?: Date | null;
  prevCloseDate?: Date | null;
  amount?: string | null;
  prevAmount?: string | null;
}

export interface PersonRow {
  line: number;
  person: string;
  email: string | null;
  team?: string | null;
  manager?: string | null;
  role?: Role | null;
  /** undefined: the file has no start-date column. */
  startDate?: Date | null;
}

interface FileBase {
  fileName: string;
  preset: PresetName;
  detectedBecause: string;
  source: string;
  headers: string[];
  columns: ColumnMapping;
  /** Headers no field reads. */
  ignoredHeaders: string[];
  /** Required fields without a column: the file cannot be read until they are mapped. */
  missingColumns: { key: string; label: string }[];
  /** Data rows in the file (blank lines not counted). */
  totalRows: number;
  rejected: Rejection[];
  /** Rows left out on purpose (planned activities not done yet), with why. */
  skipped: { count: number; reason: string } | null;
  dateOrder: DateOrderDecision;
  /** Things worth knowing that are not errors. */
  notes: string[];
  /** A deals file's last-activity column (the CRM's last-activity date; see the plan's note). */
  lastActivityColumn: string | null;
  /** Latest instant in the file (opened, closed, activity, change): a suggestion for the as-of date. */
  latestDate: Date | null;
  /** Stage mapping from the file's mapping (stage value → target). */
  stageMap: Record<string, string>;
  currency: string | null;
}

export type ParsedFile =
  | (FileBase & { kind: "deals"; rows: DealRow[] })
  | (FileBase & { kind: "activities"; rows: ActivityRow[] })
  | (FileBase & { kind: "stage-history"; rows: StageEventRow[] })
  | (FileBase & { kind: "people"; rows: PersonRow[] });

type Cells = Record<string, string | null | undefined>;

interface RawRow {
  line: number;
  cells: Cells;
  entries: { stage: string; text: string }[];
}

/** Reads, maps and checks one file. The source is the file's bytes (or text), streamed. */
export async function readImportFile(
  source: CsvSource,
  options: FileOptions,
  onProgress?: (progress: CsvProgress) => void,
): Promise<ParsedFile> {
  const records = readCsv(source, { onProgress });
  const first = await records.next();
  if (first.done) throw new ImportFileError(`${options.fileName} is empty: there is no header row.`);
  const headers = first.value.values.map((header) => header.replace(/^\uFEFF/, "").trim());

  const detected = detectFile(headers);
  const kind: ImportKind = options.kind ?? options.mapping?.kind ?? detected.kind;
  const preset: PresetName = options.preset ?? options.mapping?.preset ?? detected.preset;
  const columns = resolveColumns(preset, kind, headers, options.mapping?.columns);
  const entryColumns = kind === "deals" ? stageEntryColumns(headers) : [];
  const fields = FIELDS[kind];
  const missingColumns = requiredFields(kind)
    .filter((key) => !columns[key]?.length)
    .map((key) => ({ key, label: fields.find((field) => field.key === key)?.label ?? key }));

  const index = new Map<string, number>();
  headers.forEach((header, position) => {
    if (!index.has(header)) index.set(header, position);
  });
  const used = new Set([...Object.values(columns).flat(), ...entryColumns.map((column) => column.header)]);
  const ignoredHeaders = headers.filter((header) => header && !used.has(header));
  const dateFields = fields.filter((field) => field.type === "day" || field.type === "instant").map((f) => f.key);

  const evidence = emptyEvidence();
  const raw: RawRow[] = [];
  /** Rows with a NUL character: refused in the preview with their line (the database cannot store one). */
  const withNul: Rejection[] = [];
  let totalRows = 0;
  for await (const record of records) {
    totalRows++;
    if (missingColumns.length) continue;
    const nulAt = record.values.findIndex((value) => value.includes("\u0000"));
    if (nulAt >= 0) {
      withNul.push({
        line: record.line,
        id: null,
        reason: `The ${headers[nulAt] ? `“${headers[nulAt]}” ` : ""}cell holds a NUL character (a zero byte), which is not text: delete it in the file (or export the file again) and import it again.`,
      });
      continue;
    }
    const cells: Cells = {};
    for (const [field, names] of Object.entries(columns)) {
      let value: string | null = null;
      for (const name of names) {
        const cell = record.values[index.get(name) ?? -1]?.trim();
        if (cell) {
          value = cell;
          break;
        }
      }
      // Line breaks inside quoted cells arrive as CR LF from Windows exports.
      cells[field] = value?.includes("\r") ? value.replace(/\r\n?/g, "\n") : value;
      if (value && dateFields.includes(field)) noteDateEvidence(evidence, value, record.line);
    }
    const entries: RawRow["entries"] = [];
    for (const column of entryColumns) {
      const text = record.values[index.get(column.header) ?? -1]?.trim();
      if (text) {
        entries.push({ stage: column.stage, text });
        noteDateEvidence(evidence, text, record.line);
      }
    }
    raw.push({ line: record.line, cells, entries });
  }

  const dateOrder = decideDateOrder(evidence, options.dateOrder ?? options.mapping?.dateOrder);
  const base: FileBase = {
    fileName: options.fileName,
    preset,
    detectedBecause: options.mapping?.columns
      ? "columns as your mapping names them"
      : detected.preset === preset && detected.kind === kind
        ? detected.preset === "generic"
          ? detected.reason
          : `recognised by its ${detected.reason}`
        : "as you chose",
    source: options.mapping?.source ?? presetSource(preset) ?? "csv",
    headers,
    columns,
    ignoredHeaders,
    missingColumns,
    totalRows,
    rejected: withNul,
    skipped: null,
    dateOrder,
    notes: [],
    lastActivityColumn: kind === "deals" ? (columns.lastActivityAt?.[0] ?? null) : null,
    latestDate: null,
    stageMap: options.mapping?.stages ?? {},
    currency: options.mapping?.currency ?? null,
  };
  if (missingColumns.length || dateOrder.status === "question") {
    return { ...base, kind, rows: [] } as ParsedFile;
  }
  const reader = new RowReader(kind, base, columns, dateOrder.order);
  // Rows first: reading them fills in the file's rejections, notes and latest date.
  switch (kind) {
    case "deals": {
      const rows = readDeals(raw, reader, base);
      return { ...base, kind, rows };
    }
    case "activities": {
      const rows = readActivities(raw, reader, base);
      return { ...base, kind, rows };
    }
    case "stage-history": {
      const rows = readStageEvents(raw, reader);
      return { ...base, kind, rows };
    }
    case "people": {
      const rows = readPeople(raw, reader);
      return { ...base, kind, rows };
    }
  }
}

export class ImportFileError extends Error {}

function resolveColumns(
  preset: PresetName,
  kind: ImportKind,
  headers: string[],
  mapped: Record<string, string | string[]> | undefined,
): ColumnMapping {
  const columns = presetColumns(preset, kind, headers);
  if (!mapped) return columns;
  const byNormal = new Map(headers.map((header) => [normalizeHeader(header), header]));
  for (const [field, value] of Object.entries(mapped)) {
    if (!FIELDS[kind].some((spec) => spec.key === field)) continue;
    const names = (Array.isArray(value) ? value : [value])
      .map((name) => byNormal.get(normalizeHeader(name)))
      .filter((name): name is string => Boolean(name));
    if (names.length) columns[field] = names;
    else delete columns[field];
  }
  return columns;
}

/** Turns cells into values, collecting the row's problems in plain words. */
class RowReader {
  problems: string[] = [];
  constructor(
    private readonly kind: ImportKind,
    private readonly file: FileBase,
    private readonly columns: ColumnMapping,
    private readonly order: DateOrder | null,
  ) {}

  start() {
    this.problems = [];
  }

  /** "Opened date", or "Opened date (column “Created”)" when the column is called otherwise. */
  label(key: string): string {
    const label = (FIELDS[this.kind] as readonly FieldSpec[]).find((field) => field.key === key)?.label ?? key;
    const column = this.columns[key]?.[0];
    return column && column !== label ? `${label} (column “${column}”)` : label;
  }

  text(cells: Cells, key: string): string | null | undefined {
    return cells[key];
  }

  required(cells: Cells, key: string, what: string): string | null {
    const value = cells[key];
    if (!value) this.problems.push(`${what}: the ${this.label(key)} cell is empty; fill it in or delete the row.`);
    return value ?? null;
  }

  /**
   * A person's name or email: never a spreadsheet formula (`@SUM(9)`, `=A1`)
   * nor a value without a letter, which would become a rep with no name.
   */
  person(cells: Cells, key: string, what: string): string | null {
    const value = this.required(cells, key, what);
    if (!value) return null;
    const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
    if (!email && (/^[=+\-@]/.test(value) || !/\p{L}/u.test(value))) {
      this.problems.push(
        `${this.label(key)} “${value}” is not a person's name or email${/^[=+\-@]/.test(value) ? " (it looks like a spreadsheet formula)" : ""}: write their name or email address.`,
      );
      return null;
    }
    return value;
  }

  date(cells: Cells, key: string, as: "day" | "instant"): Date | null | undefined {
    const value = cells[key];
    if (value === undefined || value === null) return value;
    return this.dateText(value, as, this.label(key));
  }

  dateText(value: string, as: "day" | "instant", label: string): Date | null {
    const result = resolveDate(value, as, this.order);
    if (!result.ok) {
      this.problems.push(`${label}: ${result.reason}`);
      return null;
    }
    if (as === "instant" && (!this.file.latestDate || result.date > this.file.latestDate)) {
      this.file.latestDate = result.date;
    }
    return result.date;
  }

  amount(cells: Cells, key: string): { amount: string | null; currency: string | null } | undefined {
    const value = cells[key];
    if (value === undefined) return undefined;
    if (value === null) return { amount: null, currency: null };
    const result = parseAmount(value);
    if (!result) return { amount: null, currency: null };
    if (!result.ok) {
      this.problems.push(`${this.label(key)}: ${result.reason}`);
      return { amount: null, currency: null };
    }
    return { amount: result.amount, currency: result.currency };
  }

  reject(line: number, id: string | null): boolean {
    if (this.problems.length === 0) return false;
    this.file.rejected.push({ line, id, reason: this.problems.join(" ") });
    return true;
  }
}

function duplicateCheck(file: FileBase, what: string) {
  const seen = new Map<string, number>();
  return (key: string, line: number, shown: string): boolean => {
    const first = seen.get(key);
    if (first !== undefined) {
      file.rejected.push({
        line,
        id: shown,
        reason: `${what} “${shown}” appears again (first on line ${first}): each must appear once in the file. Keep one of the two rows.`,
      });
      return true;
    }
    seen.set(key, line);
    return false;
  };
}

const STATUS_WORDS: Record<string, DealStatus> = {
  open: "open",
  opened: "open",
  active: "open",
  inprogress: "open",
  won: "won",
  closedwon: "won",
  win: "won",
  lost: "lost",
  closedlost: "lost",
  loss: "lost",
  prospect: "prospect",
  prospecting: "prospect",
  nurture: "prospect",
};

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x", "✓", "won", "closed"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", ""]);

function flag(value: string | null | undefined): boolean | null {
  if (value === undefined || value === null) return null;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

const CURRENCY = /^[A-Z]{3}$/;

function readDeals(raw: RawRow[], reader: RowReader, file: FileBase): DealRow[] {
  const rows: DealRow[] = [];
  const isDuplicate = duplicateCheck(file, "Deal id");
  let fromOwnerIds = 0;
  let deleted = 0;
  for (const { line, cells, entries } of raw) {
    reader.start();
    const externalId = cells.externalId ?? null;
    if (!externalId) {
      file.rejected.push({
        line,
        id: null,
        reason: `No deal id: the ${reader.label("externalId")} cell is empty. Every row needs the deal's id from your CRM; fill it in or delete the row.`,
      });
      continue;
    }
    const owner = reader.person(cells, "owner", "No owner");
    let status: DealStatus | null = null;
    const statusText = cells.status;
    if (statusText) {
      const word = statusText.toLowerCase().replace(/[\s_-]+/g, "");
      if (word === "deleted") {
        deleted++;
        continue;
      }
      status = STATUS_WORDS[word] ?? null;
      if (!status) reader.problems.push(`Status “${statusText}” is not open, won, lost or prospect.`);
    } else {
      const won = flag(cells.isWon);
      const closed = flag(cells.isClosed);
      if (won) status = "won";
      else if (closed) status = "lost";
      else if (closed === false) status = "open";
    }
    const stage = cells.stage ?? null;
    if (!stage && !status) reader.problems.push("No stage: the Stage cell is empty.");
    const money = reader.amount(cells, "amount");
    const currencyCell = cells.currency?.toUpperCase();
    if (currencyCell && !CURRENCY.test(currencyCell)) {
      reader.problems.push(`Currency “${cells.currency}” is not a three-letter code such as USD.`);
    }
    const openedAt = reader.date(cells, "openedAt", "instant");
    const expectedCloseDate = reader.date(cells, "expectedCloseDate", "day");
    const closedAt = reader.date(cells, "closedAt", "instant");
    const lastActivityAt = reader.date(cells, "lastActivityAt", "instant");
    const stageEntries: DealRow["stageEntries"] = [];
    for (const entry of entries) {
      const at = reader.dateText(entry.text, "instant", `Date entered “${entry.stage}”`);
      if (at) stageEntries.push({ stage: entry.stage, at });
    }
    const probabilityText = cells.probability?.replace(/[%\s]/g, "").replace(",", ".");
    const probability = probabilityText && /^\d+(\.\d+)?$/.test(probabilityText) ? Number(probabilityText) : null;
    if (reader.reject(line, externalId)) continue;
    if (isDuplicate(externalId, line, externalId)) continue;
    if (owner && /^005[A-Za-z0-9]{12,15}$/.test(owner)) fromOwnerIds++;
    rows.push({
      line,
      externalId,
      name: cells.name,
      account: cells.account,
      owner: owner as string,
      ownerEmail: cells.ownerEmail,
      stage,
      status,
      amount: money === undefined ? undefined : (money.amount ?? "0.00"),
      currency: currencyCell ?? money?.currency ?? (cells.currency === undefined ? undefined : null),
      openedAt,
      expectedCloseDate,
      closedAt,
      lastActivityAt,
      nextStep: cells.nextStep,
      lostReason: cells.lostReason,
      probability,
      stageEntries,
    });
  }
  if (deleted) file.skipped = { count: deleted, reason: "deleted in the CRM" };
  if (fromOwnerIds > 0) {
    file.notes.push(
      `${fromOwnerIds} deals name their owner only by a Salesforce user id (005…). Add the owner's name (Owner.Name or "Opportunity Owner") to the export, or those ids become the new reps' names.`,
    );
  }
  return rows;
}

function activityType(value: string | null | undefined): ActivityType {
  const word = (value ?? "").toLowerCase();
  if (/call|phone/.test(word)) return "call";
  if (/mail/.test(word)) return "email";
  if (/meet|lunch|demo|visit|event|video|zoom|teams/.test(word)) return "meeting";
  if (/note/.test(word)) return "note";
  if (/task|deadline|to-?do/.test(word)) return "task";
  return "other";
}

const BUYER_WORDS = new Set([
  "buyer",
  "client",
  "customer",
  "prospect",
  "inbound",
  "incoming",
  "incomingemail",
  "received",
  "reply",
  "replied",
  "in",
  "them",
]);
const SELLER_WORDS = new Set([
  "seller",
  "rep",
  "us",
  "sales",
  "outbound",
  "outgoing",
  "sent",
  "email",
  "out",
  "forwardedemail",
  "ours",
]);
const NOT_DONE = /^(no|false|0|to ?do|not ?started|open|planned|in ?progress|waiting.*|deferred|scheduled)$/i;

function readActivities(raw: RawRow[], reader: RowReader, file: FileBase): ActivityRow[] {
  const rows: ActivityRow[] = [];
  const isDuplicate = duplicateCheck(file, "Activity");
  let skipped = 0;
  let severalDeals = 0;
  for (const { line, cells } of raw) {
    reader.start();
    let dealId = cells.dealId ?? null;
    if (!dealId) {
      file.rejected.push({
        line,
        id: cells.externalId ?? null,
        reason: `No deal id: the ${reader.label("dealId")} cell is empty. Every activity needs the id of its deal; fill it in or delete the row.`,
      });
      continue;
    }
    if (/[;|]/.test(dealId)) {
      severalDeals++;
      dealId = dealId.split(/[;|]/)[0]?.trim() ?? dealId;
    }
    if (cells.done && NOT_DONE.test(cells.done.trim())) {
      skipped++;
      continue;
    }
    const atText = reader.required(cells, "at", "No date");
    const at = atText ? reader.dateText(atText, "instant", "Date") : null;
    const type = activityType(cells.type);
    let side: ActivitySide = type === "meeting" ? "buyer" : "seller";
    let sideInferred = true;
    if (cells.side) {
      const word = cells.side.toLowerCase().replace(/[\s_-]+/g, "");
      if (BUYER_WORDS.has(word)) side = "buyer";
      else if (SELLER_WORDS.has(word)) side = "seller";
      else
        reader.problems.push(
          `Side “${cells.side}” is not buyer or seller (inbound / outbound and incoming / outgoing work too).`,
        );
      sideInferred = false;
    }
    if (reader.reject(line, cells.externalId ?? dealId)) continue;
    const summary = cells.summary ?? null;
    const key = cells.externalId ?? `${dealId}|${(at as Date).toISOString()}|${type}|${side}|${summary ?? ""}`;
    const shown = cells.externalId ?? `on deal ${dealId} at ${atText}`;
    if (isDuplicate(key, line, shown)) continue;
    rows.push({
      line,
      externalId: cells.externalId ?? null,
      dealId,
      at: at as Date,
      type,
      side,
      sideInferred,
      summary,
    });
  }
  if (skipped) file.skipped = { count: skipped, reason: "planned, not done yet" };
  if (severalDeals) {
    file.notes.push(`${severalDeals} activities name several deals; each is attached to the first one only.`);
  }
  const inferred = rows.filter((row) => row.sideInferred).length;
  if (inferred) {
    file.notes.push(
      `${inferred} activities have no side: meetings count as buyer effort, calls, emails and the rest as seller effort.`,
    );
  }
  return rows;
}

function readStageEvents(raw: RawRow[], reader: RowReader): StageEventRow[] {
  const rows: StageEventRow[] = [];
  for (const { line, cells } of raw) {
    reader.start();
    const dealId = reader.required(cells, "dealId", "No deal id");
    const stage = reader.required(cells, "stage", "No stage");
    const atText = reader.required(cells, "at", "No date");
    const at = atText ? reader.dateText(atText, "instant", "Date of the change") : null;
    const closeDate = reader.date(cells, "closeDate", "day");
    const prevCloseDate = reader.date(cells, "prevCloseDate", "day");
    const amount = reader.amount(cells, "amount");
    const prevAmount = reader.amount(cells, "prevAmount");
    if (reader.reject(line, dealId)) continue;
    rows.push({
      line,
      dealId: dealId as string,
      at: at as Date,
      stage: stage as string,
      fromStage: cells.fromStage ?? null,
      closeDate,
      prevCloseDate,
      amount: amount?.amount,
      prevAmount: prevAmount?.amount,
    });
  }
  return rows;
}

const ROLE_WORDS: Record<string, Role> = {
  rep: "rep",
  salesrep: "rep",
  seller: "rep",
  ae: "rep",
  accountexecutive: "rep",
  bdr: "rep",
  sdr: "rep",
  manager: "manager",
  salesmanager: "manager",
  teamlead: "manager",
  lead: "manager",
  admin: "admin",
  administrator: "admin",
  systemadministrator: "admin",
};

function readPeople(raw: RawRow[], reader: RowReader): PersonRow[] {
  const rows: PersonRow[] = [];
  for (const { line, cells } of raw) {
    reader.start();
    const person = reader.person(cells, "person", "No person");
    let role: Role | null | undefined = cells.role === undefined ? undefined : null;
    if (cells.role) {
      role = ROLE_WORDS[cells.role.toLowerCase().replace(/[\s_-]+/g, "")] ?? null;
      if (!role) reader.problems.push(`Role “${cells.role}” is not rep, manager or admin.`);
    }
    const email = cells.email ?? (person?.includes("@") ? person : null);
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) reader.problems.push(`“${email}” is not an email address.`);
    const startDate = reader.date(cells, "startDate", "day");
    if (reader.reject(line, person)) continue;
    rows.push({
      line,
      person: person as string,
      email: email ?? null,
      team: cells.team,
      manager: cells.manager,
      role,
      startDate,
    });
  }
  return rows;
}

/** One sentence for the preview: what kind of file this was read as. */
export function describeFile(file: ParsedFile): string {
  const preset = file.preset === "generic" ? "a generic CSV" : `a ${file.preset} export`;
  return `${file.fileName}: ${KIND_LABELS[file.kind].toLowerCase()} from ${preset} (${file.detectedBecause}).`;
}

export { ACCEPTED_DATE_FORMATS };
