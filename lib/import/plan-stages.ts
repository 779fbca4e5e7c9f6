// Stage resolution for an import: which of the organisation's stages (or
// won / lost / prospect) a file's stage value means and why, and the new
// stages the files create, in a sensible pipeline order.
import type { DealStatus } from "@/lib/generated/prisma/enums";
import type { PresetName } from "./presets";
import { withoutPipeline } from "./presets";
import type { DealRow } from "./read";
import { CREATE_STAGE } from "./schema";
import { closedStatusOf, newStageName, standardPosition } from "./standard-stages";
import {
  type FileSummary,
  lower,
  type PlanDraft,
  type Snapshot,
  type StageInfo,
  type StageRef,
  type StageTableRow,
  type StageTarget,
} from "./plan-types";

export class StageResolver {
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
  readonly firstImport: boolean;
  /** The preset of the file being planned: its default pipeline orders new stages. */
  preset: PresetName = "generic";

  constructor(
    private readonly snapshot: Snapshot,
    private readonly plan: PlanDraft,
  ) {
    this.stagesByName = new Map(snapshot.stages.map((stage) => [lower(stage.name), stage]));
    this.firstImport = snapshot.stages.length === 0;
  }

  stageOrder = (ref: StageRef | null): number => {
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

  stageRef(target: StageTarget & { type: "stage" | "create" }, probability: number | null): StageRef {
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

  fallbackStage(status: DealStatus): StageRef | null {
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

  tableFor(summary: FileSummary, stageMap: Record<string, string>) {
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

  /**
   * A first import: the file's stage values are the pipeline, created before
   * any row is planned, so a won or lost deal on the first line finds the
   * stage it stayed in (finding: rows refused for their order). First
   * appearance counts among open deals, then the closed deals' last stages,
   * then stage-entry columns.
   */
  registerFirstStages(stageMap: Record<string, string>, rows: DealRow[]) {
    const isOpen = (row: DealRow) => row.status === null || row.status === "open";
    const values = [
      ...rows.filter(isOpen).map((row) => row.stage),
      ...rows.filter((row) => !isOpen(row)).map((row) => row.stage),
      ...rows.flatMap((row) => row.stageEntries.map((entry) => entry.stage)),
    ];
    for (const value of values) {
      if (!value) continue;
      const target = this.resolveStage(value, stageMap)?.target;
      if (target && target.type !== "status") this.stageRef(target, null);
    }
  }

  /** "Proposal", "won (Negotiation)": a deal's state for the audit trail. */
  stateLabel(ref: StageRef, status: DealStatus): string {
    const name =
      "id" in ref ? (this.snapshot.stages.find((stage) => stage.id === ref.id)?.name ?? `#${ref.id}`) : ref.newName;
    return status === "open" ? name : `${status} (${name})`;
  }
}
