// Plans an import: compares the rows of one or more read files with what the
// database holds (a Snapshot, see data.ts) and decides, row by row, what is
// new, what changed, what is unchanged and what is rejected — and which
// history rows (stage moves, close-date pushes, amount changes) each change
// produces, exactly as a person's change would. Pure: the same plan is shown
// in the preview and written by apply (mutations.ts), which plans again
// inside its transaction.
//
// Files are planned in a fixed order — people, deals, stage history,
// activities — so owners from a people file and deals from a deals file of
// the same run are known to the files after them.
//
// A change made in the app wins over a CRM export that has not caught up: if
// a person moved a deal back, removed it or changed its close date or amount
// here, and the file still shows the value from before that change, the
// deal keeps the value decided here (counted as "kept as decided here").
import { createHash, randomUUID } from "node:crypto";
import type { ActivitySide, ActivityType, DealStatus, Role, StageDirection } from "@/lib/generated/prisma/enums";
import { directionBetween, isCloseDatePush } from "@/lib/deals/history";
import { normalizeAmount } from "./amounts";
import { isoDay } from "./dates";
import type { ImportKind } from "./fields";
import { PRESET_LABELS, type PresetName, withoutPipeline } from "./presets";
import type { ActivityRow, DealRow, ParsedFile, PersonRow, Rejection, StageEventRow } from "./read";
import { CREATE_STAGE } from "./schema";
import { closedStatusOf, newStageName, standardPosition } from "./standard-stages";

// ---------------------------------------------------------------------------
// What the database holds (loaded by data.ts)

export interface StageInfo {
  id: number;
  name: string;
  order: number;
  active: boolean;
}

export interface PersonInfo {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** YYYY-MM-DD, when known. */
  startDate?: string | null;
}

export interface TeamInfo {
  id: string;
  name: string;
  managerId: string | null;
}

export interface ExistingDeal {
  id: number;
  source: string;
  externalId: string;
  name: string;
  accountName: string | null;
  ownerId: string;
  amount: string;
  currency: string;
  stageId: number;
  status: DealStatus;
  /** Null: a prospect with "date unknown". */
  openedAt: number | null;
  expectedCloseDate: string | null;
  closedAt: number | null;
  crmLastActivityAt: number | null;
  nextStep: string | null;
  lostReason: string | null;
  version: number;
  /** The deal's latest stage change, when a person (not an import) made it. */
  personStage: { fromStageId: number | null; fromStatus: DealStatus | null } | null;
  personCloseDate: { fromDate: string | null } | null;
  personAmount: { fromAmount: string | null } | null;
}

export interface ExistingActivity {
  id: number;
  opportunityId: number;
  at: number;
  type: ActivityType;
  side: ActivitySide;
  summary: string | null;
}

export interface Snapshot {
  currency: string;
  stages: StageInfo[];
  people: PersonInfo[];
  teams: TeamInfo[];
  /** By dealKey(source, externalId). */
  deals: Map<string, ExistingDeal>;
  /** By dealKey(source, externalId). */
  activities: Map<string, ExistingActivity>;
  /** historyKey(...) of the stage, close-date and amount changes of the deals the files carry history for. */
  historyKeys: Set<string>;
}

export const dealKey = (source: string, externalId: string) => `${source}\u0000${externalId}`;

// ---------------------------------------------------------------------------
// The plan

export type DealRef = { id: number } | { source: string; externalId: string };
export type StageRef = { id: number } | { newName: string };

export interface NewDeal {
  source: string;
  externalId: string;
  name: string;
  accountName: string | null;
  ownerId: string;
  amount: string;
  currency: string;
  stage: StageRef;
  status: DealStatus;
  /** Null only for a prospect whose source gave no date ("date unknown"). */
  openedAt: Date | null;
  expectedCloseDate: Date | null;
  closedAt: Date | null;
  /** The deals export's last-activity date; kept when a later file leaves the column out or empty. */
  crmLastActivityAt: Date | null;
  nextStep: string | null;
  lostReason: string | null;
}

export interface DealUpdate extends Omit<NewDeal, "source" | "externalId"> {
  id: number;
  version: number;
  /** Changed fields, for the audit trail. */
  before: Record<string, string | null>;
  after: Record<string, string | null>;
}

export interface PlannedMove {
  deal: DealRef;
  fromStage: StageRef | null;
  toStage: StageRef | null;
  fromStatus: DealStatus | null;
  toStatus: DealStatus;
  direction: StageDirection;
  at: Date;
  reason: string;
}

export interface PlannedCloseDateEdit {
  deal: DealRef;
  fromDate: Date | null;
  toDate: Date | null;
  at: Date;
}

export interface PlannedAmountEdit {
  deal: DealRef;
  fromAmount: string | null;
  toAmount: string;
  at: Date;
}

export interface PlannedActivity {
  id: number | null;
  deal: DealRef;
  source: string;
  externalId: string;
  at: Date;
  type: ActivityType;
  side: ActivitySide;
  summary: string | null;
}

export interface NewPerson {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** From a people file's start-date column; never the import's own time. */
  startDate: Date | null;
}

export interface PersonUpdate {
  id: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** undefined: left as it is. */
  startDate?: Date | null;
  before: Record<string, string | null>;
  after: Record<string, string | null>;
}

export interface NewStage {
  name: string;
  order: number;
  probability: number;
}

export type StageTarget =
  | { type: "stage"; name: string }
  | { type: "status"; status: "won" | "lost" | "prospect" }
  /** `position`: where the mapping lists it, which orders the new stages. */
  | { type: "create"; name: string; position?: number };

export interface StageTableRow {
  value: string;
  /** Rows whose Stage cell holds it. */
  rows: number;
  /** Stage-entry dates (HubSpot) or history rows naming it. */
  entries: number;
  target: StageTarget | null;
  /** Why it maps there: "same name", "your mapping", "closed won". */
  how: string | null;
}

export interface FileCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

export interface FileChanges {
  stageMoves: number;
  statusChanges: number;
  closeDatePushes: number;
  closeDateEdits: number;
  amountChanges: number;
  historyRows: number;
  keptHere: number;
}

export interface FileSummary {
  fileName: string;
  kind: ImportKind;
  preset: string;
  source: string;
  description: string;
  headers: string[];
  columns: Record<string, string[]>;
  ignoredHeaders: string[];
  missingColumns: { key: string; label: string }[];
  totalRows: number;
  counts: FileCounts;
  changes: FileChanges;
  stageTable: StageTableRow[];
  rejected: Rejection[];
  kept: { line: number; id: string; what: string }[];
  dateOrder: ParsedFile["dateOrder"];
  notes: string[];
  latestDate: string | null;
  /** Reps or people the import adds, by name. */
  newPeople: string[];
  newTeams: string[];
  newStages: string[];
  newAccounts: number;
  /** The owners of the file's deals (for links to their pipelines). */
  owners: { id: string; name: string }[];
  skippedReason: string | null;
}

export interface Plan {
  files: FileSummary[];
  newTeams: { id: string; name: string }[];
  newPeople: NewPerson[];
  personUpdates: PersonUpdate[];
  teamManagers: { teamId: string; managerId: string; previous: string | null }[];
  newStages: NewStage[];
  newDeals: NewDeal[];
  dealUpdates: DealUpdate[];
  moves: PlannedMove[];
  closeDateEdits: PlannedCloseDateEdit[];
  amountEdits: PlannedAmountEdit[];
  newActivities: PlannedActivity[];
  activityUpdates: PlannedActivity[];
  /** Deals whose rollups must be recomputed. */
  touched: DealRef[];
}

export interface PlanOptions {
  /** When the import's changes happen (history timestamps). */
  changeAt: Date;
  /** Team (by name) that new reps join; null: none. */
  newRepTeam: string | null;
}

/** People the import adds without an email get one at this domain (it can never receive mail). */
export const PLACEHOLDER_DOMAIN = "@imported.invalid";

const FILE_ORDER: ImportKind[] = ["people", "deals", "stage-history", "activities"];

/** Plans the files in the order their contents depend on each other. */
export function planImport(files: ParsedFile[], snapshot: Snapshot, options: PlanOptions): Plan {
  const planner = new Planner(snapshot, options);
  const activitySources = new Set(files.filter((file) => file.kind === "activities").map((file) => file.source));
  const ordered = [...files].sort((a, b) => FILE_ORDER.indexOf(a.kind) - FILE_ORDER.indexOf(b.kind));
  const summaries = new Map<ParsedFile, FileSummary>();
  for (const file of ordered) {
    const summary = planner.planFile(file);
    if (file.lastActivityColumn && !activitySources.has(file.source)) {
      // The CRM's date says when, not who: the rules about buyer and seller need the activities.
      summary.notes.push(
        `The “${file.lastActivityColumn}” column gives each deal's last activity, so untouched is judged from it; it does not say who acted (buyer or seller). Import the activities export too for the one-sided, follow-up and buyer-effort rules.`,
      );
    }
    summaries.set(file, summary);
  }
  planner.refreshNewStages();
  // Summaries in the order the files were given.
  return { ...planner.plan, files: files.map((file) => summaries.get(file) as FileSummary) };
}

const lower = (value: string) => value.trim().toLowerCase().replace(/\s+/g, " ");

function refKey(ref: StageRef | null): string {
  if (!ref) return "none";
  return "id" in ref ? String(ref.id) : `new:${lower(ref.newName)}`;
}

export function historyKey(
  kind: "stage" | "close" | "amount",
  dealId: number | string,
  at: number,
  to: string,
): string {
  return `${kind}|${dealId}|${at}|${to}`;
}

function displayName(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(" ");
}

function slug(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ".")
      .replace(/^\.|\.$/g, "") || "rep"
  );
}

/** The state of a deal at a point of its history. */
interface DealState {
  stage: StageRef | null;
  status: DealStatus;
}

function transition(from: DealState | null, to: DealState, order: (ref: StageRef | null) => number): StageDirection {
  if (!from) return "created";
  if (to.status === "won" || to.status === "lost") return to.status;
  if (to.status === "prospect") return "to_prospect";
  if (from.status !== "open") return "reopened";
  return directionBetween(order(from.stage), order(to.stage));
}

class Planner {
  readonly plan: Omit<Plan, "files"> = {
    newTeams: [],
    newPeople: [],
    personUpdates: [],
    teamManagers: [],
    newStages: [],
    newDeals: [],
    dealUpdates: [],
    moves: [],
    closeDateEdits: [],
    amountEdits: [],
    newActivities: [],
    activityUpdates: [],
    touched: [],
  };
  private readonly people: PersonInfo[];
  private readonly teams: TeamInfo[];
  private readonly emails: Set<string>;
  private readonly stagesByName: Map<string, StageInfo>;
  private readonly newStageInfo = new Map<
    string,
    { name: string; probabilities: number[]; seen: number; position: number | null; standard: number | null }
  >();
  /**
   * An empty database (no stages yet, a first import): every stage value the
   * files name is created, without a mapping, so the first import works on
   * the first try. Once stages exist, an unknown value needs a mapping (a
   * typo must not become a stage).
   */
  private readonly firstImport: boolean;
  /** The preset of the file being planned: its default pipeline orders new stages. */
  private preset: PresetName = "generic";
  /** Deals created by a deals file of this run, for the files after it. */
  private readonly plannedDeals = new Map<string, NewDeal>();
  /** New closed deals whose stage was guessed (no stage in the file): their history may tell the real one. */
  private readonly guessedStages = new Set<string>();
  private readonly touchedKeys = new Set<string>();
  /** Where each deal and activity of this run was first read: one file of a run may name it. */
  private readonly dealRows = new Map<string, { fileName: string; line: number }>();
  private readonly activityRows = new Map<string, { fileName: string; line: number; planned: PlannedActivity }>();

  constructor(
    private readonly snapshot: Snapshot,
    private readonly options: PlanOptions,
  ) {
    this.people = snapshot.people.map((person) => ({ ...person }));
    this.teams = snapshot.teams.map((team) => ({ ...team }));
    this.emails = new Set(snapshot.people.map((person) => person.email.toLowerCase()));
    this.stagesByName = new Map(snapshot.stages.map((stage) => [lower(stage.name), stage]));
    this.firstImport = snapshot.stages.length === 0;
  }

  planFile(file: ParsedFile): FileSummary {
    this.preset = file.preset;
    const summary: FileSummary = {
      fileName: file.fileName,
      kind: file.kind,
      preset: file.preset,
      source: file.source,
      description: describeSource(file),
      headers: file.headers,
      columns: file.columns,
      ignoredHeaders: file.ignoredHeaders,
      missingColumns: file.missingColumns,
      totalRows: file.totalRows,
      counts: { new: 0, updated: 0, unchanged: 0, rejected: 0, skipped: file.skipped?.count ?? 0 },
      changes: {
        stageMoves: 0,
        statusChanges: 0,
        closeDatePushes: 0,
        closeDateEdits: 0,
        amountChanges: 0,
        historyRows: 0,
        keptHere: 0,
      },
      stageTable: [],
      rejected: [...file.rejected],
      kept: [],
      dateOrder: file.dateOrder,
      notes: [...file.notes],
      latestDate: file.latestDate ? isoDay(file.latestDate) : null,
      newPeople: [],
      newTeams: [],
      newStages: [],
      newAccounts: 0,
      owners: [],
      skippedReason: file.skipped?.reason ?? null,
    };
    switch (file.kind) {
      case "people":
        this.planPeople(file.rows, summary);
        break;
      case "deals":
        this.planDeals(file, file.rows, summary);
        break;
      case "stage-history":
        this.planStageHistory(file, file.rows, summary);
        break;
      case "activities":
        this.planActivities(file, file.rows, summary);
        break;
    }
    summary.rejected.sort((a, b) => a.line - b.line);
    summary.counts.rejected = summary.rejected.length;
    return summary;
  }

  // -------------------------------------------------------------------------
  // People

  private teamByName(name: string): TeamInfo | undefined {
    return this.teams.find((team) => lower(team.name) === lower(name));
  }

  private ensureTeam(name: string, summary: FileSummary): TeamInfo {
    const existing = this.teamByName(name);
    if (existing) return existing;
    const team: TeamInfo = { id: randomUUID(), name: name.trim(), managerId: null };
    this.teams.push(team);
    this.plan.newTeams.push({ id: team.id, name: team.name });
    summary.newTeams.push(team.name);
    return team;
  }

  /** Finds a person by email, else by name; an error message when the name is ambiguous. */
  private findPerson(value: string, email?: string | null): PersonInfo | string | null {
    const byEmail = (address: string) => this.people.find((p) => p.email.toLowerCase() === address.toLowerCase());
    if (email) {
      const found = byEmail(email);
      if (found) return found;
    }
    if (value.includes("@")) return byEmail(value) ?? null;
    const named = this.people.filter((person) => lower(person.name) === lower(value));
    if (named.length > 1) {
      return `“${value}” matches ${named.length} people (${named.map((p) => p.email).join(", ")}): write the email instead of the name.`;
    }
    return named[0] ?? null;
  }

  private uniqueEmail(name: string, email: string | null | undefined): string {
    if (email && !this.emails.has(email.toLowerCase())) return email.trim();
    const base = slug(name);
    let candidate = `${base}${PLACEHOLDER_DOMAIN}`;
    for (let n = 2; this.emails.has(candidate); n++) candidate = `${base}.${n}${PLACEHOLDER_DOMAIN}`;
    return candidate;
  }

  private addPerson(
    value: string,
    email: string | null | undefined,
    role: Role,
    teamId: string | null,
    summary: FileSummary,
  ) {
    const name = value.includes("@") ? displayName(value) : value.trim();
    const address = this.uniqueEmail(name, email ?? (value.includes("@") ? value : null));
    const person: PersonInfo = { id: randomUUID(), name, email: address, role, teamId };
    this.people.push(person);
    this.emails.add(address.toLowerCase());
    this.plan.newPeople.push({ ...person, startDate: null });
    summary.newPeople.push(name);
    return person;
  }

  private updatePerson(
    person: PersonInfo,
    change: { role?: Role; teamId?: string | null; email?: string | null; startDate?: Date | null },
  ) {
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    // A person the import added without an email gets the real one once a file gives it.
    const address = change.email?.trim();
    if (
      address &&
      person.email.endsWith(PLACEHOLDER_DOMAIN) &&
      address.toLowerCase() !== person.email.toLowerCase() &&
      !this.emails.has(address.toLowerCase())
    ) {
      before.email = person.email;
      after.email = address;
      this.emails.delete(person.email.toLowerCase());
      this.emails.add(address.toLowerCase());
      person.email = address;
    }
    if (change.role && change.role !== person.role) {
      before.role = person.role;
      after.role = change.role;
      person.role = change.role;
    }
    if (change.teamId !== undefined && change.teamId !== person.teamId) {
      before.team = this.teams.find((t) => t.id === person.teamId)?.name ?? null;
      after.team = this.teams.find((t) => t.id === change.teamId)?.name ?? null;
      person.teamId = change.teamId;
    }
    const startDay = change.startDate ? isoDay(change.startDate) : null;
    if (change.startDate && startDay !== (person.startDate ?? null)) {
      before.startDate = person.startDate ?? null;
      after.startDate = startDay;
      person.startDate = startDay;
    }
    if (Object.keys(after).length === 0) return false;
    const isNew = this.plan.newPeople.find((p) => p.id === person.id);
    if (isNew) {
      isNew.email = person.email;
      isNew.role = person.role;
      isNew.teamId = person.teamId;
      if (person.startDate) isNew.startDate = new Date(`${person.startDate}T00:00:00.000Z`);
      return true;
    }
    const pending = this.plan.personUpdates.find((update) => update.id === person.id);
    if (pending) {
      pending.email = person.email;
      pending.role = person.role;
      pending.teamId = person.teamId;
      if (after.startDate) pending.startDate = change.startDate;
      Object.assign(pending.after, after);
      for (const key of Object.keys(before)) pending.before[key] ??= before[key] ?? null;
    } else {
      this.plan.personUpdates.push({
        id: person.id,
        email: person.email,
        role: person.role,
        teamId: person.teamId,
        startDate: after.startDate ? change.startDate : undefined,
        before,
        after,
      });
    }
    return true;
  }

  private planPeople(rows: PersonRow[], summary: FileSummary) {
    const managerOfTeam = new Map<string, { person: string; line: number }>();
    for (const row of rows) {
      const reject = (reason: string) => summary.rejected.push({ line: row.line, id: row.person, reason });
      const found = this.findPerson(row.person, row.email);
      if (typeof found === "string") {
        reject(found);
        continue;
      }
      const team = row.team ? this.ensureTeam(row.team, summary) : null;
      let manager: PersonInfo | null = null;
      if (row.manager && team) {
        const managerFound = this.findPerson(row.manager);
        if (typeof managerFound === "string") {
          reject(`Manager ${managerFound}`);
          continue;
        }
        const named = managerOfTeam.get(team.id);
        if (named && lower(named.person) !== lower(row.manager)) {
          reject(
            `Team ${team.name} already has ${named.person} as its manager on line ${named.line}; a team has one manager.`,
          );
          continue;
        }
        const managesOther =
          managerFound && this.teams.find((t) => t.managerId === managerFound.id && t.id !== team.id);
        if (managesOther) {
          reject(`${managerFound.name} already manages ${managesOther.name}; a person manages one team.`);
          continue;
        }
        managerOfTeam.set(team.id, { person: row.manager, line: row.line });
        manager = managerFound;
      } else if (row.manager && !team) {
        reject(`A manager (${row.manager}) is named but the Team cell is empty: the manager is the team's.`);
        continue;
      }
      let changed = false;
      let created = false;
      let person = found;
      const role: Role = row.role ?? person?.role ?? "rep";
      if (!person) {
        person = this.addPerson(row.person, row.email, role, team?.id ?? null, summary);
        if (row.startDate) this.updatePerson(person, { startDate: row.startDate });
        created = true;
      } else {
        changed = this.updatePerson(person, {
          role: row.role ?? undefined,
          teamId: team ? team.id : undefined,
          email: row.email,
          startDate: row.startDate ?? undefined,
        });
      }
      if (manager === null && row.manager && team) {
        manager = this.addPerson(row.manager, null, "manager", team.id, summary);
      }
      if (manager) changed = this.makeManager(manager, team as TeamInfo) || changed;
      if (!manager && role === "manager" && team && !team.managerId && !managerOfTeam.has(team.id)) {
        changed = this.makeManager(person, team) || changed;
      }
      if (created) summary.counts.new++;
      else if (changed) summary.counts.updated++;
      else summary.counts.unchanged++;
    }
  }

  private makeManager(person: PersonInfo, team: TeamInfo): boolean {
    let changed = this.updatePerson(person, {
      role: person.role === "admin" ? "admin" : "manager",
      teamId: team.id,
    });
    if (team.managerId !== person.id) {
      const pending = this.plan.teamManagers.find((entry) => entry.teamId === team.id);
      if (pending) pending.managerId = person.id;
      else this.plan.teamManagers.push({ teamId: team.id, managerId: person.id, previous: team.managerId });
      team.managerId = person.id;
      changed = true;
    }
    return changed;
  }

  // -------------------------------------------------------------------------
  // Stages

  private stageOrder = (ref: StageRef | null): number => {
    if (!ref) return 0;
    if ("id" in ref) return this.snapshot.stages.find((stage) => stage.id === ref.id)?.order ?? 0;
    this.refreshNewStages();
    return this.plan.newStages.find((stage) => lower(stage.name) === lower(ref.newName))?.order ?? 1000;
  };

  /** Where a stage value goes, and why; null when it is unknown and not mapped. */
  resolveStage(value: string, stageMap: Record<string, string>): { target: StageTarget; how: string } | null {
    const keys = Object.keys(stageMap);
    const position = keys.findIndex(
      (key) => key === value || lower(key) === lower(value) || lower(key) === lower(withoutPipeline(value)),
    );
    const mapped = position >= 0 ? stageMap[keys[position] as string] : undefined;
    if (mapped !== undefined) {
      const word = mapped.trim().toLowerCase();
      if (word === "won" || word === "lost" || word === "prospect") {
        return { target: { type: "status", status: word }, how: "your mapping" };
      }
      if (word === CREATE_STAGE) {
        const existing = this.stagesByName.get(lower(value));
        if (existing) return { target: { type: "stage", name: existing.name }, how: "same name" };
        return { target: { type: "create", name: withoutPipeline(value) || value, position }, how: "your mapping" };
      }
      const stage = this.stagesByName.get(lower(mapped));
      if (stage) return { target: { type: "stage", name: stage.name }, how: "your mapping" };
      return null;
    }
    const same = this.stagesByName.get(lower(value)) ?? this.stagesByName.get(lower(withoutPipeline(value)));
    if (same) return { target: { type: "stage", name: same.name }, how: "same name" };
    const closed = closedStatusOf(withoutPipeline(value));
    if (closed) return { target: { type: "status", status: closed }, how: `closed ${closed}` };
    if (this.firstImport) {
      const name = newStageName(withoutPipeline(value) || value);
      const existing = this.stagesByName.get(lower(name));
      if (existing) return { target: { type: "stage", name: existing.name }, how: "same name" };
      return { target: { type: "create", name }, how: "new stage (first import)" };
    }
    return null;
  }

  private stageRef(target: StageTarget & { type: "stage" | "create" }, probability: number | null): StageRef {
    if (target.type === "stage") return { id: (this.stagesByName.get(lower(target.name)) as StageInfo).id };
    const key = lower(target.name);
    let info = this.newStageInfo.get(key);
    if (!info) {
      info = {
        name: target.name,
        probabilities: [],
        seen: this.newStageInfo.size,
        position: target.type === "create" ? (target.position ?? null) : null,
        standard: standardPosition(this.preset, target.name),
      };
      this.newStageInfo.set(key, info);
    } else if (info.position === null && target.type === "create" && target.position !== undefined) {
      // Another file of the run named it first; a mapping that lists it still says where it goes.
      info.position = target.position;
    }
    if (probability !== null) info.probabilities.push(probability);
    this.newStagesDirty = true;
    return { newName: info.name };
  }

  /**
   * New stages go after the existing ones: in the order the mapping lists
   * them, else by their deals' median probability (the file's probability
   * column), else in the CRM's default pipeline order, else by first
   * appearance among open deals.
   */
  private newStagesDirty = false;

  refreshNewStages() {
    if (!this.newStagesDirty) return;
    this.newStagesDirty = false;
    const maxOrder = Math.max(0, ...this.snapshot.stages.map((stage) => stage.order));
    const median = (values: number[]) => {
      if (values.length === 0) return null;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] as number;
    };
    const infos = [...this.newStageInfo.values()].map((info) => ({ ...info, median: median(info.probabilities) }));
    const rank = (info: (typeof infos)[number]) =>
      info.position !== null
        ? info.position
        : info.median !== null
          ? 10_000 + info.median
          : info.standard !== null
            ? 20_000 + info.standard
            : 30_000 + info.seen;
    infos.sort((a, b) => rank(a) - rank(b) || a.seen - b.seen);
    this.plan.newStages = infos.map((info, index) => ({
      name: info.name,
      order: maxOrder + index + 1,
      probability: Math.round(info.median ?? Math.min(90, 10 * (index + 1))),
    }));
  }

  private fallbackStage(status: DealStatus): StageRef | null {
    const active = this.snapshot.stages.filter((stage) => stage.active);
    const pool = active.length ? active : this.snapshot.stages;
    if (pool.length === 0) {
      this.refreshNewStages();
      const created = this.plan.newStages;
      if (created.length === 0) return null;
      const pick = status === "won" ? created[created.length - 1] : created[0];
      return pick ? { newName: pick.name } : null;
    }
    const sorted = [...pool].sort((a, b) => a.order - b.order);
    const pick = status === "won" ? sorted[sorted.length - 1] : sorted[0];
    return pick ? { id: pick.id } : null;
  }

  private tableFor(summary: FileSummary, stageMap: Record<string, string>) {
    const table = new Map<string, StageTableRow>();
    const note = (value: string, kind: "rows" | "entries") => {
      let row = table.get(value);
      if (!row) {
        const resolved = this.resolveStage(value, stageMap);
        row = { value, rows: 0, entries: 0, target: resolved?.target ?? null, how: resolved?.how ?? null };
        table.set(value, row);
        summary.stageTable.push(row);
      }
      row[kind]++;
      return row;
    };
    return note;
  }

  // -------------------------------------------------------------------------
  // Deals

  private planDeals(file: ParsedFile, rows: DealRow[], summary: FileSummary) {
    const noteStage = this.tableFor(summary, file.stageMap);
    const owners = new Map<string, string>();
    const accountsSeen = new Set<string>();
    const reason = `Imported from ${sourceLabel(file)} (${file.fileName})`;
    const changeAt = this.options.changeAt;
    const newRepTeam = this.options.newRepTeam ? this.teamByName(this.options.newRepTeam) : undefined;
    if (this.firstImport) this.registerFirstStages(file, rows);

    for (const row of rows) {
      const problems: string[] = [];
      const existing = this.snapshot.deals.get(dealKey(file.source, row.externalId));
      const earlier = this.dealRows.get(dealKey(file.source, row.externalId));
      if (earlier) {
        summary.rejected.push({
          line: row.line,
          id: row.externalId,
          reason: `Deal id “${row.externalId}” is also on line ${earlier.line} of ${earlier.fileName}: a deal may appear in only one deals file of an import. Remove it from one of them, or import the files one after the other (the later one then updates the deal).`,
        });
        continue;
      }
      this.dealRows.set(dealKey(file.source, row.externalId), { fileName: file.fileName, line: row.line });

      // Where the deal stands: its stage and status. A stage to create is only
      // planned once the row is accepted, so a rejected row creates nothing.
      let stage: StageRef | null = null;
      let stageTarget: (StageTarget & { type: "stage" | "create" }) | null = null;
      let status: DealStatus | null = row.status;
      const stageRow = row.stage ? noteStage(row.stage, "rows") : null;
      const target = stageRow?.target ?? null;
      if (target?.type === "status") {
        if (status && status !== target.status) {
          problems.push(`The stage “${row.stage}” means ${target.status}, but the status says ${status}.`);
        }
        status = target.status;
      } else if (target) {
        stageTarget = target;
        status ??= "open";
      } else if (row.stage && (status === null || status === "open")) {
        problems.push(
          `Stage “${row.stage}” is not one of your stages and has no mapping: map it to a stage, to won / lost / prospect, or create it as a new stage.`,
        );
      }
      for (const entry of row.stageEntries) noteStage(entry.stage, "entries");
      let stageGuessed = false;
      if (status && status !== "open" && !stageTarget) {
        // A closed deal stays in the last stage it reached: its stage-entry dates say which.
        if (existing) stage = { id: existing.stageId };
        else stageTarget = this.lastOpenEntry(row, file.stageMap);
        if (!stage && !stageTarget) {
          stage = this.fallbackStage(status);
          stageGuessed = !existing;
        }
        if (!stage && !stageTarget) {
          problems.push("There are no stages yet: map at least one stage value to a new stage.");
        }
      }

      // Owner: someone we know, or a new rep — added only once the row is accepted.
      let ownerId: string | null = null;
      let newOwner = false;
      const ownerKey = lower(row.ownerEmail ?? row.owner);
      const known = owners.get(ownerKey);
      if (known) ownerId = known;
      else {
        const found = this.findPerson(row.owner, row.ownerEmail);
        if (typeof found === "string") problems.push(`Owner ${found}`);
        else if (found) ownerId = found.id;
        else newOwner = true;
        if (ownerId) owners.set(ownerKey, ownerId);
      }

      // Dates the status needs.
      // A prospect the source gives no date for stays "date unknown" (null, never
      // invented); one reopened without a date is a new opportunity opened now (SPEC).
      const openedAt =
        row.openedAt ??
        (row.openedAt === undefined && existing?.openedAt != null ? new Date(existing.openedAt) : null) ??
        (existing?.status === "prospect" && existing.openedAt === null && status === "open" ? changeAt : null);
      if (status && status !== "prospect" && !openedAt) {
        problems.push(
          row.openedAt === undefined
            ? "No opened date: the file has no Opened date column, and open, won and lost deals need one."
            : "The Opened date is empty: open, won and lost deals need the date they were opened.",
        );
      }
      let closedAt: Date | null = null;
      if (status === "won" || status === "lost") {
        const keepClosed =
          existing && existing.status === status && existing.closedAt ? new Date(existing.closedAt) : null;
        closedAt =
          row.closedAt ??
          (row.expectedCloseDate ? new Date(row.expectedCloseDate.getTime() + 12 * 3_600_000) : null) ??
          keepClosed;
        if (!closedAt) {
          problems.push(`The deal is ${status} but has no closed date (nor an expected close date to use as one).`);
        } else if (openedAt && closedAt.getTime() < openedAt.getTime() - 86_400_000) {
          problems.push(`The closed date (${isoDay(closedAt)}) is before the opened date (${isoDay(openedAt)}).`);
        }
      }
      if (problems.length || !status || (!stage && !stageTarget) || (!ownerId && !newOwner)) {
        summary.rejected.push({
          line: row.line,
          id: row.externalId,
          reason: problems.join(" ") || "The row is incomplete.",
        });
        continue;
      }
      // The row's probability says where a new stage goes, not a closed deal's last stage.
      if (stageTarget) stage = this.stageRef(stageTarget, stageTarget === target ? row.probability : null);
      if (!stage) continue;
      if (!ownerId) {
        ownerId = this.addPerson(row.owner, row.ownerEmail, "rep", newRepTeam?.id ?? null, summary).id;
        owners.set(ownerKey, ownerId);
      }

      const account = row.account === undefined ? (existing?.accountName ?? null) : row.account;
      if (account && !accountsSeen.has(lower(account))) accountsSeen.add(lower(account));
      const values: Omit<NewDeal, "source" | "externalId"> = {
        name:
          row.name ?? (row.name === undefined && existing ? existing.name : `${account ?? "Deal"} (${row.externalId})`),
        accountName: account,
        ownerId,
        amount: row.amount ?? existing?.amount ?? "0.00",
        currency:
          row.currency ??
          (row.currency === undefined && existing ? existing.currency : (file.currency ?? this.snapshot.currency)),
        stage,
        status,
        openedAt: openedAt ?? (existing?.openedAt != null ? new Date(existing.openedAt) : null),
        expectedCloseDate:
          row.expectedCloseDate === undefined
            ? existing?.expectedCloseDate
              ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`)
              : null
            : row.expectedCloseDate,
        closedAt,
        crmLastActivityAt:
          row.lastActivityAt ?? (existing?.crmLastActivityAt ? new Date(existing.crmLastActivityAt) : null),
        nextStep: row.nextStep === undefined ? (existing?.nextStep ?? null) : row.nextStep,
        lostReason:
          status === "lost" ? (row.lostReason === undefined ? (existing?.lostReason ?? null) : row.lostReason) : null,
      };
      const owner = this.people.find((person) => person.id === ownerId);
      if (owner && !summary.owners.some((o) => o.id === owner.id))
        summary.owners.push({ id: owner.id, name: owner.name });

      const ref: DealRef = existing ? { id: existing.id } : { source: file.source, externalId: row.externalId };
      const historyCreated = this.planEntries(ref, existing ?? null, row, file.stageMap, summary, reason);

      if (!existing) {
        const deal: NewDeal = { source: file.source, externalId: row.externalId, ...values };
        this.plan.newDeals.push(deal);
        this.plannedDeals.set(dealKey(file.source, row.externalId), deal);
        if (stageGuessed) this.guessedStages.add(dealKey(file.source, row.externalId));
        // The file's last-activity date reaches the rollup through refreshRollups.
        if (historyCreated || values.crmLastActivityAt) this.touch(ref);
        summary.counts.new++;
        continue;
      }
      const changed = this.planDealUpdate(existing, values, row, summary, reason, changeAt, file.stageMap);
      if (changed || historyCreated) this.touch(ref);
      if (changed) summary.counts.updated++;
      else summary.counts.unchanged++;
    }
    summary.newAccounts = [...accountsSeen].length;
    this.refreshNewStages();
    summary.newStages = this.plan.newStages.map((stage) => stage.name);
  }

  /**
   * A first import: the file's stage values are the pipeline, created before
   * any row is planned, so a won or lost deal on the first line finds the
   * stage it stayed in (finding: rows refused for their order). First
   * appearance counts among open deals, then the closed deals' last stages,
   * then stage-entry columns.
   */
  private registerFirstStages(file: ParsedFile, rows: DealRow[]) {
    const isOpen = (row: DealRow) => row.status === null || row.status === "open";
    const values = [
      ...rows.filter(isOpen).map((row) => row.stage),
      ...rows.filter((row) => !isOpen(row)).map((row) => row.stage),
      ...rows.flatMap((row) => row.stageEntries.map((entry) => entry.stage)),
    ];
    for (const value of values) {
      if (!value) continue;
      const target = this.resolveStage(value, file.stageMap)?.target;
      if (target && target.type !== "status") this.stageRef(target, null);
    }
  }

  /** Compares a deal with the file's values; plans the update and its history. True when something changes. */
  private planDealUpdate(
    existing: ExistingDeal,
    values: Omit<NewDeal, "source" | "externalId">,
    row: DealRow,
    summary: FileSummary,
    reason: string,
    changeAt: Date,
    stageMap: Record<string, string>,
  ): boolean {
    const ref: DealRef = { id: existing.id };
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    const kept: string[] = [];
    const final = { ...values };

    // Stage and status.
    const stageId = "id" in values.stage ? values.stage.id : null;
    const sameState = existing.status === values.status && (values.status !== "open" || stageId === existing.stageId);
    if (!sameState) {
      const person = existing.personStage;
      const fileShowsOldState =
        person !== null &&
        person.fromStatus === values.status &&
        (values.status !== "open" || person.fromStageId === stageId);
      if (fileShowsOldState) {
        kept.push("stage");
        final.stage = { id: existing.stageId };
        final.status = existing.status;
        final.closedAt = existing.closedAt === null ? null : new Date(existing.closedAt);
        final.lostReason = existing.lostReason;
      } else {
        const fromStage: StageRef = { id: existing.stageId };
        const toStage =
          values.status === "open" || !("id" in values.stage) || stageId !== existing.stageId
            ? values.stage
            : fromStage;
        const coveredByEntries = this.entriesReach(row, values, stageMap);
        if (!coveredByEntries) {
          const direction = transition(
            { stage: fromStage, status: existing.status },
            { stage: toStage, status: values.status },
            this.stageOrder,
          );
          this.plan.moves.push({
            deal: ref,
            fromStage,
            toStage,
            fromStatus: existing.status,
            toStatus: values.status,
            direction,
            at: (values.status === "won" || values.status === "lost") && values.closedAt ? values.closedAt : changeAt,
            reason,
          });
        }
        // A move the stage-entry dates record was counted with them.
        if (!coveredByEntries) {
          if (existing.status !== values.status) summary.changes.statusChanges++;
          else summary.changes.stageMoves++;
        }
        before.stage = this.stateLabel({ id: existing.stageId }, existing.status);
        after.stage = this.stateLabel(values.stage, values.status);
      }
    } else if (values.status !== "open" && stageId !== null && stageId !== existing.stageId) {
      // A closed deal's last stage reached: corrected quietly, no move.
      before.stage = this.stateLabel({ id: existing.stageId }, existing.status);
      after.stage = this.stateLabel(values.stage, values.status);
    }

    // Expected close date.
    const fileClose = values.expectedCloseDate ? isoDay(values.expectedCloseDate) : null;
    if (fileClose !== existing.expectedCloseDate) {
      if (existing.personCloseDate && existing.personCloseDate.fromDate === fileClose) {
        kept.push("expected close date");
        final.expectedCloseDate = existing.expectedCloseDate
          ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`)
          : null;
      } else {
        const fromDate = existing.expectedCloseDate ? new Date(`${existing.expectedCloseDate}T00:00:00.000Z`) : null;
        this.plan.closeDateEdits.push({ deal: ref, fromDate, toDate: values.expectedCloseDate, at: changeAt });
        if (isCloseDatePush(fromDate, values.expectedCloseDate)) summary.changes.closeDatePushes++;
        else summary.changes.closeDateEdits++;
        before.expectedCloseDate = existing.expectedCloseDate;
        after.expectedCloseDate = fileClose;
      }
    }

    // Amount.
    const amount = normalizeAmount(values.amount);
    if (amount !== normalizeAmount(existing.amount)) {
      const person = existing.personAmount;
      if (person?.fromAmount !== null && person !== null && normalizeAmount(person.fromAmount) === amount) {
        kept.push("amount");
        final.amount = existing.amount;
      } else {
        this.plan.amountEdits.push({ deal: ref, fromAmount: existing.amount, toAmount: amount, at: changeAt });
        summary.changes.amountChanges++;
        before.amount = existing.amount;
        after.amount = amount;
      }
    }

    // Plain fields.
    const plain: [string, string | null, string | null][] = [
      ["name", existing.name, final.name],
      ["account", existing.accountName, final.accountName],
      ["ownerId", existing.ownerId, final.ownerId],
      ["currency", existing.currency, final.currency],
      [
        "openedAt",
        existing.openedAt === null ? null : new Date(existing.openedAt).toISOString(),
        final.openedAt?.toISOString() ?? null,
      ],
      [
        "closedAt",
        existing.closedAt === null ? null : new Date(existing.closedAt).toISOString(),
        final.closedAt?.toISOString() ?? null,
      ],
      [
        "crmLastActivityAt",
        existing.crmLastActivityAt === null ? null : new Date(existing.crmLastActivityAt).toISOString(),
        final.crmLastActivityAt?.toISOString() ?? null,
      ],
      ["nextStep", existing.nextStep, final.nextStep],
      ["lostReason", existing.lostReason, final.lostReason],
    ];
    for (const [field, was, now] of plain) {
      const same =
        field === "account" ? (was === null ? now === null : now !== null && lower(was) === lower(now)) : was === now;
      if (!same) {
        before[field] = was;
        after[field] = now;
      }
    }
    if (after.account === undefined) final.accountName = existing.accountName;
    if (kept.length) {
      summary.changes.keptHere++;
      summary.kept.push({ line: row.line, id: row.externalId, what: kept.join(", ") });
    }
    if (Object.keys(after).length === 0) return false;
    this.plan.dealUpdates.push({ id: existing.id, version: existing.version, ...final, before, after });
    return true;
  }

  /** True when the deal's stage-entry dates include the state the file puts it in. */
  private entriesReach(
    row: DealRow,
    values: { stage: StageRef; status: DealStatus },
    stageMap: Record<string, string>,
  ) {
    return row.stageEntries.some((entry) => {
      const target = this.resolveStage(entry.stage, stageMap)?.target;
      if (!target) return false;
      if (target.type === "status") return target.status === values.status;
      return values.status === "open" && refKey(this.stageRef(target, null)) === refKey(values.stage);
    });
  }

  /** The open stage of the deal's latest stage-entry date (HubSpot), if any. */
  private lastOpenEntry(
    row: DealRow,
    stageMap: Record<string, string>,
  ): (StageTarget & { type: "stage" | "create" }) | null {
    let last: { at: number; target: StageTarget & { type: "stage" | "create" } } | null = null;
    for (const entry of row.stageEntries) {
      const target = this.resolveStage(entry.stage, stageMap)?.target;
      if (!target || target.type === "status" || (last && last.at > entry.at.getTime())) continue;
      last = { at: entry.at.getTime(), target };
    }
    return last?.target ?? null;
  }

  /** "Proposal", "won (Negotiation)": a deal's state for the audit trail. */
  private stateLabel(ref: StageRef, status: DealStatus): string {
    const name =
      "id" in ref ? (this.snapshot.stages.find((stage) => stage.id === ref.id)?.name ?? `#${ref.id}`) : ref.newName;
    return status === "open" ? name : `${status} (${name})`;
  }

  /** HubSpot's stage-entry dates as stage moves, in date order. True when any new history row is planned. */
  private planEntries(
    ref: DealRef,
    existing: ExistingDeal | null,
    row: DealRow,
    stageMap: Record<string, string>,
    summary: FileSummary,
    reason: string,
  ): boolean {
    if (row.stageEntries.length === 0) return false;
    const events: { at: Date; state: DealState }[] = [];
    for (const entry of [...row.stageEntries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const resolved = this.resolveStage(entry.stage, stageMap);
      if (!resolved) continue;
      const target = resolved.target;
      events.push({
        at: entry.at,
        state:
          target.type === "status"
            ? { stage: null, status: target.status }
            : { stage: this.stageRef(target, null), status: "open" },
      });
    }
    return this.planEvents(ref, existing, events, summary, reason) > 0;
  }

  /** Stage moves from a deal's dated states; skips those already recorded. Returns how many are new. */
  private planEvents(
    ref: DealRef,
    existing: ExistingDeal | null,
    events: { at: Date; state: DealState }[],
    summary: FileSummary,
    reason: string,
  ): number {
    const sequence = this.sequence(ref, existing, summary, reason);
    return events.filter((event) => sequence(event.at, event.state)).length;
  }

  /**
   * Walks a deal's history in date order: each call with the next dated state
   * plans the move into it (unless it is already recorded) and returns true
   * when it planned one. A won / lost state keeps the last open stage.
   */
  private sequence(ref: DealRef, existing: ExistingDeal | null, summary: FileSummary, reason: string) {
    let previous: DealState | null = null;
    let lastOpenStage: StageRef | null = null;
    return (at: Date, next: DealState): boolean => {
      const state = { ...next };
      if (state.stage === null)
        state.stage = lastOpenStage ?? (existing ? { id: existing.stageId } : this.fallbackStage(state.status));
      if (previous && previous.status === state.status && refKey(previous.stage) === refKey(state.stage)) return false;
      const direction = transition(previous, state, this.stageOrder);
      const key = historyKey("stage", historyDeal(ref), at.getTime(), `${refKey(state.stage)}:${state.status}`);
      let added = false;
      if (!this.snapshot.historyKeys.has(key)) {
        this.plan.moves.push({
          deal: ref,
          fromStage: previous?.stage ?? null,
          toStage: state.stage,
          fromStatus: previous?.status ?? null,
          toStatus: state.status,
          direction,
          at,
          reason,
        });
        this.snapshot.historyKeys.add(key);
        if (direction === "won" || direction === "lost" || direction === "to_prospect" || direction === "reopened") {
          summary.changes.statusChanges++;
        } else if (direction !== "created") summary.changes.stageMoves++;
        summary.changes.historyRows++;
        added = true;
      }
      if (state.status === "open") lastOpenStage = state.stage;
      previous = state;
      return added;
    };
  }

  private touch(ref: DealRef) {
    const key = "id" in ref ? `id:${ref.id}` : dealKey(ref.source, ref.externalId);
    if (this.touchedKeys.has(key)) return;
    this.touchedKeys.add(key);
    this.plan.touched.push(ref);
  }

  /** A deal of the database or of an earlier file in this run. */
  private findDeal(source: string, externalId: string): { ref: DealRef; existing: ExistingDeal | null } | null {
    const existing = this.snapshot.deals.get(dealKey(source, externalId));
    if (existing) return { ref: { id: existing.id }, existing };
    if (this.plannedDeals.has(dealKey(source, externalId))) return { ref: { source, externalId }, existing: null };
    return null;
  }

  // -------------------------------------------------------------------------
  // Stage history (e.g. Salesforce's OpportunityHistory)

  private planStageHistory(file: ParsedFile, rows: StageEventRow[], summary: FileSummary) {
    const noteStage = this.tableFor(summary, file.stageMap);
    const reason = `Imported from ${sourceLabel(file)} (${file.fileName})`;
    const byDeal = new Map<string, StageEventRow[]>();
    for (const row of rows) {
      const stageRow = noteStage(row.stage, "entries");
      if (!stageRow.target) {
        summary.rejected.push({
          line: row.line,
          id: row.dealId,
          reason: `Stage “${row.stage}” is not one of your stages and has no mapping: map it to a stage, to won / lost / prospect, or create it as a new stage.`,
        });
        continue;
      }
      if (!this.findDeal(file.source, row.dealId)) {
        summary.rejected.push({
          line: row.line,
          id: row.dealId,
          reason: `Deal “${row.dealId}” is not in the database or in this import: import its deals file first (or in the same run).`,
        });
        continue;
      }
      const list = byDeal.get(row.dealId) ?? [];
      list.push(row);
      byDeal.set(row.dealId, list);
    }
    for (const [dealId, dealRows] of byDeal) {
      const found = this.findDeal(file.source, dealId);
      if (!found) continue;
      const { ref, existing } = found;
      dealRows.sort((a, b) => a.at.getTime() - b.at.getTime() || a.line - b.line);
      const step = this.sequence(ref, existing, summary, reason);
      let newRows = 0;
      let lastOpenStage: StageRef | null = null;
      let previousClose: Date | null | undefined;
      let previousAmount: string | null | undefined;
      for (const row of dealRows) {
        const target = this.resolveStage(row.stage, file.stageMap)?.target as StageTarget;
        const state: DealState =
          target.type === "status"
            ? { stage: null, status: target.status }
            : { stage: this.stageRef(target, null), status: "open" };
        let added = step(row.at, state) ? 1 : 0;
        if (state.status === "open") lastOpenStage = state.stage;

        if (row.closeDate !== undefined) {
          const from = row.prevCloseDate !== undefined ? row.prevCloseDate : previousClose;
          const fromDay = from ? isoDay(from) : null;
          const toDay = row.closeDate ? isoDay(row.closeDate) : null;
          // The deal's first row without a previous value is where the close date started, not a change.
          const initial = from === null && previousClose === undefined;
          if (from !== undefined && !initial && fromDay !== toDay) {
            const key = historyKey("close", historyDeal(ref), row.at.getTime(), toDay ?? "none");
            if (!this.snapshot.historyKeys.has(key)) {
              this.plan.closeDateEdits.push({ deal: ref, fromDate: from, toDate: row.closeDate, at: row.at });
              this.snapshot.historyKeys.add(key);
              if (isCloseDatePush(from, row.closeDate)) summary.changes.closeDatePushes++;
              else summary.changes.closeDateEdits++;
              summary.changes.historyRows++;
              added++;
            }
          }
          previousClose = row.closeDate;
        }
        if (row.amount !== undefined && row.amount !== null) {
          const from = row.prevAmount !== undefined ? row.prevAmount : previousAmount;
          const initial = from === null && previousAmount === undefined;
          if (
            from !== undefined &&
            !initial &&
            (from === null || normalizeAmount(from) !== normalizeAmount(row.amount))
          ) {
            const key = historyKey("amount", historyDeal(ref), row.at.getTime(), normalizeAmount(row.amount));
            if (!this.snapshot.historyKeys.has(key)) {
              this.plan.amountEdits.push({
                deal: ref,
                fromAmount: from,
                toAmount: normalizeAmount(row.amount),
                at: row.at,
              });
              this.snapshot.historyKeys.add(key);
              summary.changes.amountChanges++;
              summary.changes.historyRows++;
              added++;
            }
          }
          previousAmount = row.amount;
        }
        if (added > 0) {
          newRows++;
          summary.counts.new++;
        } else summary.counts.unchanged++;
      }
      if (newRows > 0) this.touch(ref);
      // A new closed deal whose file named no stage stays in the last stage its history reached.
      const planned = this.plannedDeals.get(dealKey(file.source, dealId));
      if (planned && lastOpenStage && this.guessedStages.has(dealKey(file.source, dealId))) {
        planned.stage = lastOpenStage;
        this.guessedStages.delete(dealKey(file.source, dealId));
      }
    }
  }

  // -------------------------------------------------------------------------
  // Activities

  private planActivities(file: ParsedFile, rows: ActivityRow[], summary: FileSummary) {
    for (const row of rows) {
      const found = this.findDeal(file.source, row.dealId);
      if (!found) {
        summary.rejected.push({
          line: row.line,
          id: row.externalId ?? row.dealId,
          reason: `Deal “${row.dealId}” is not in the database or in this import: import its deals file first (or in the same run).`,
        });
        continue;
      }
      const externalId = row.externalId ?? activityFingerprint(row);
      const existing = this.snapshot.activities.get(dealKey(file.source, externalId));
      const earlier = this.activityRows.get(dealKey(file.source, externalId));
      const planned: PlannedActivity = {
        id: existing?.id ?? null,
        deal: found.ref,
        source: file.source,
        externalId,
        at: row.at,
        type: row.type,
        side: row.side,
        summary: row.summary,
      };
      if (earlier) {
        // Overlapping exports in one run list the same activity twice: the same details are fine once.
        const first = earlier.planned;
        const sameDetails =
          JSON.stringify(first.deal) === JSON.stringify(planned.deal) &&
          first.at.getTime() === planned.at.getTime() &&
          first.type === planned.type &&
          first.side === planned.side &&
          first.summary === planned.summary;
        if (sameDetails) summary.counts.unchanged++;
        else {
          summary.rejected.push({
            line: row.line,
            id: row.externalId ?? row.dealId,
            reason: `Activity “${row.externalId}” is also on line ${earlier.line} of ${earlier.fileName}, with other details: keep it in one of the files, or import them one after the other (the later one then updates it).`,
          });
        }
        continue;
      }
      this.activityRows.set(dealKey(file.source, externalId), { fileName: file.fileName, line: row.line, planned });
      if (!existing) {
        this.plan.newActivities.push(planned);
        summary.counts.new++;
        this.touch(found.ref);
        continue;
      }
      const same =
        "id" in found.ref &&
        existing.opportunityId === found.ref.id &&
        existing.at === row.at.getTime() &&
        existing.type === row.type &&
        existing.side === row.side &&
        (existing.summary ?? null) === row.summary;
      if (same) {
        summary.counts.unchanged++;
        continue;
      }
      this.plan.activityUpdates.push(planned);
      summary.counts.updated++;
      this.touch(found.ref);
      this.touch({ id: existing.opportunityId });
    }
  }
}

/** How history keys name a deal: its id, or (planned in this run) its source and external id. */
function historyDeal(ref: DealRef): number | string {
  return "id" in ref ? ref.id : `new:${dealKey(ref.source, ref.externalId)}`;
}

/** An activity without an id is recognised by its deal, time, type, side and summary. */
export function activityFingerprint(row: Pick<ActivityRow, "dealId" | "at" | "type" | "side" | "summary">): string {
  const hash = createHash("sha1")
    .update([row.dealId, row.at.toISOString(), row.type, row.side, row.summary ?? ""].join("\u0000"))
    .digest("hex");
  return `auto:${hash.slice(0, 24)}`;
}

function sourceLabel(file: ParsedFile): string {
  return file.preset === "generic" ? file.source : PRESET_LABELS[file.preset];
}

function describeSource(file: ParsedFile): string {
  const what = { deals: "Deals", activities: "Activities", "stage-history": "Stage history", people: "People" }[
    file.kind
  ];
  const from =
    file.preset === "generic" ? `a CSV file (source “${file.source}”)` : `a ${PRESET_LABELS[file.preset]} export`;
  return `${what} from ${from}; ${file.detectedBecause}.`;
}

/** Everything the plan would change, in one number (0: nothing to do). */
export function planSize(plan: Plan): number {
  return (
    plan.newTeams.length +
    plan.newPeople.length +
    plan.personUpdates.length +
    plan.teamManagers.length +
    plan.newStages.length +
    plan.newDeals.length +
    plan.dealUpdates.length +
    plan.moves.length +
    plan.closeDateEdits.length +
    plan.amountEdits.length +
    plan.newActivities.length +
    plan.activityUpdates.length
  );
}
