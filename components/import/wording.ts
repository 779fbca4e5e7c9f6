// Words and numbers of the import page: sizes, the apply steps, the stage
// choices. Pure.
import type { ApplyStep } from "@/lib/import/mutations";
import type { StageTableRow } from "@/lib/import/plan-types";

export const APPLY_STEPS: ApplyStep[] = [
  "people",
  "stages",
  "accounts",
  "deals",
  "history",
  "activities",
  "rollups",
  "flags",
  "audit",
];

export const STEP_LABELS: Record<ApplyStep, string> = {
  people: "people and teams",
  stages: "new stages",
  accounts: "accounts",
  deals: "deals",
  history: "stage, close-date and amount history",
  activities: "activities",
  rollups: "changed deals, with each deal's last activity and time in stage",
  flags: "the flags of changed deals",
  audit: "the audit trail",
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The value of the stage select that stands for where the preview put a stage value. */
export function stageChoice(row: StageTableRow): string {
  if (!row.target) return "";
  switch (row.target.type) {
    case "stage":
      return row.target.name;
    case "status":
      return row.target.status;
    case "create":
      return "create";
  }
}

export function stageTargetWords(choice: string): string {
  if (choice === "won") return "closed won";
  if (choice === "lost") return "closed lost";
  if (choice === "prospect") return "prospect (outside the pipeline)";
  if (choice === "create") return "a new stage";
  return choice;
}

/** Why the preview put a stage value where it did, in words. */
export function stageHowWords(how: string | null): string {
  switch (how) {
    case "same name":
      return "Same name as one of your stages";
    case "closed won":
    case "closed lost":
      return `Reads as ${how}`;
    case "your mapping":
      return "Your choice";
    default:
      return "Not mapped yet";
  }
}

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
