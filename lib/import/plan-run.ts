// What one import run's planning shares while it walks the files: the plan
// being made, the snapshot it compares with, the stage, people and history
// helpers, and the deals and activities earlier files of the run named.
import { DealHistory } from "./plan-history";
import { PeopleResolver } from "./plan-people";
import { StageResolver } from "./plan-stages";
import {
  type DealRef,
  dealKey,
  type ExistingDeal,
  type NewDeal,
  type PlanDraft,
  type PlannedActivity,
  type PlanOptions,
  type Snapshot,
} from "./plan-types";

export class PlanRun {
  readonly plan: PlanDraft = {
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
  readonly stages: StageResolver;
  readonly people: PeopleResolver;
  readonly history: DealHistory;
  /** Deals created by a deals file of this run, for the files after it. */
  readonly plannedDeals = new Map<string, NewDeal>();
  /** New closed deals whose stage was guessed (no stage in the file): their history may tell the real one. */
  readonly guessedStages = new Set<string>();
  private readonly touchedKeys = new Set<string>();
  /** Where each deal and activity of this run was first read: one file of a run may name it. */
  readonly dealRows = new Map<string, { fileName: string; line: number }>();
  readonly activityRows = new Map<string, { fileName: string; line: number; planned: PlannedActivity }>();

  constructor(
    readonly snapshot: Snapshot,
    readonly options: PlanOptions,
  ) {
    this.stages = new StageResolver(snapshot, this.plan);
    this.people = new PeopleResolver(snapshot, this.plan);
    this.history = new DealHistory(snapshot, this.plan, this.stages);
  }

  /** Marks a deal whose rollups must be recomputed after the import. */
  touch(ref: DealRef) {
    const key = "id" in ref ? `id:${ref.id}` : dealKey(ref.source, ref.externalId);
    if (this.touchedKeys.has(key)) return;
    this.touchedKeys.add(key);
    this.plan.touched.push(ref);
  }

  /** A deal of the database or of an earlier file in this run. */
  findDeal(source: string, externalId: string): { ref: DealRef; existing: ExistingDeal | null } | null {
    const existing = this.snapshot.deals.get(dealKey(source, externalId));
    if (existing) return { ref: { id: existing.id }, existing };
    if (this.plannedDeals.has(dealKey(source, externalId))) return { ref: { source, externalId }, existing: null };
    return null;
  }
}
