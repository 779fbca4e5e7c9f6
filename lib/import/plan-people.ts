// Owner and people resolution for an import: who a file's owner, person or
// manager cell names (by email, else by name), the reps, managers and teams
// the import adds, and the changes a people file makes to those it knows.
import { randomUUID } from "node:crypto";
import type { Role } from "@/lib/generated/prisma/enums";
import { isoDay } from "./dates";
import type { PlanRun } from "./plan-run";
import { type FileSummary, lower, type PersonInfo, type PlanDraft, type Snapshot, type TeamInfo } from "./plan-types";
import type { PersonRow } from "./read";

/** People the import adds without an email get one at this domain (it can never receive mail). */
export const PLACEHOLDER_DOMAIN = "@imported.invalid";

/** The people and teams of the organisation as the plan changes them. */
export class PeopleResolver {
  readonly people: PersonInfo[];
  readonly teams: TeamInfo[];
  private readonly emails: Set<string>;

  constructor(
    snapshot: Snapshot,
    private readonly plan: PlanDraft,
  ) {
    this.people = snapshot.people.map((person) => ({ ...person }));
    this.teams = snapshot.teams.map((team) => ({ ...team }));
    this.emails = new Set(snapshot.people.map((person) => person.email.toLowerCase()));
    // The first person listed with each email, as a scan of the list in order would find them.
    for (const person of [...this.people].reverse()) this.peopleByEmail.set(person.email.toLowerCase(), person);
  }

  /** By email (lower case): a deals file asks once per owner (2,000 owners × 2,000 people was a scan each). */
  private readonly peopleByEmail = new Map<string, PersonInfo>();

  /** By id: a deals file asks once per row (100,000 rows × 2,000 people was a second of scanning). */
  private readonly peopleById = new Map<string, PersonInfo>();

  byId(id: string): PersonInfo | undefined {
    if (this.peopleById.size !== this.people.length) {
      for (const person of this.people) this.peopleById.set(person.id, person);
    }
    return this.peopleById.get(id);
  }

  teamByName(name: string): TeamInfo | undefined {
    return this.teams.find((team) => lower(team.name) === lower(name));
  }

  ensureTeam(name: string, summary: FileSummary): TeamInfo {
    const existing = this.teamByName(name);
    if (existing) return existing;
    const team: TeamInfo = { id: randomUUID(), name: name.trim(), managerId: null };
    this.teams.push(team);
    this.plan.newTeams.push({ id: team.id, name: team.name });
    summary.newTeams.push(team.name);
    return team;
  }

  /** Finds a person by email, else by name; an error message when the name is ambiguous. */
  findPerson(value: string, email?: string | null): PersonInfo | string | null {
    const byEmail = (address: string) => this.peopleByEmail.get(address.toLowerCase());
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

  addPerson(value: string, email: string | null | undefined, role: Role, teamId: string | null, summary: FileSummary) {
    const name = value.includes("@") ? displayName(value) : value.trim();
    const address = this.uniqueEmail(name, email ?? (value.includes("@") ? value : null));
    const person: PersonInfo = { id: randomUUID(), name, email: address, role, teamId };
    this.people.push(person);
    this.emails.add(address.toLowerCase());
    if (!this.peopleByEmail.has(address.toLowerCase())) this.peopleByEmail.set(address.toLowerCase(), person);
    this.plan.newPeople.push({ ...person, startDate: null });
    summary.newPeople.push(name);
    return person;
  }

  updatePerson(
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
      if (this.peopleByEmail.get(person.email.toLowerCase()) === person) {
        this.peopleByEmail.delete(person.email.toLowerCase());
      }
      this.peopleByEmail.set(address.toLowerCase(), person);
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

  makeManager(person: PersonInfo, team: TeamInfo): boolean {
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
}

/** A people file's rows: new people and teams, role, team, email and start-date changes, team managers. */
export function planPeople(run: PlanRun, rows: PersonRow[], summary: FileSummary) {
  const managerOfTeam = new Map<string, { person: string; line: number }>();
  for (const row of rows) {
    const reject = (reason: string) => summary.rejected.push({ line: row.line, id: row.person, reason });
    const found = run.people.findPerson(row.person, row.email);
    if (typeof found === "string") {
      reject(found);
      continue;
    }
    const team = row.team ? run.people.ensureTeam(row.team, summary) : null;
    let manager: PersonInfo | null = null;
    if (row.manager && team) {
      const managerFound = run.people.findPerson(row.manager);
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
        managerFound && run.people.teams.find((t) => t.managerId === managerFound.id && t.id !== team.id);
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
      person = run.people.addPerson(row.person, row.email, role, team?.id ?? null, summary);
      if (row.startDate) run.people.updatePerson(person, { startDate: row.startDate });
      created = true;
    } else {
      changed = run.people.updatePerson(person, {
        role: row.role ?? undefined,
        teamId: team ? team.id : undefined,
        email: row.email,
        startDate: row.startDate ?? undefined,
      });
    }
    if (manager === null && row.manager && team) {
      manager = run.people.addPerson(row.manager, null, "manager", team.id, summary);
    }
    if (manager) changed = run.people.makeManager(manager, team as TeamInfo) || changed;
    if (!manager && role === "manager" && team && !team.managerId && !managerOfTeam.has(team.id)) {
      changed = run.people.makeManager(person, team) || changed;
    }
    if (created) summary.counts.new++;
    else if (changed) summary.counts.updated++;
    else summary.counts.unchanged++;
  }
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
