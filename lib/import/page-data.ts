// What the import page needs besides the files: the stages a stage value can
// map to, the teams new reps can join, the saved mappings, the organisation's
// currency. Administrators only, like the import itself.
import "server-only";
import { assertRole } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { type DbClient, db } from "@/lib/db";
import { listImportMappings, type SavedMapping } from "./mappings-data";

export interface ImportPageData {
  stages: { name: string; active: boolean }[];
  teams: string[];
  savedMappings: SavedMapping[];
  currency: string;
}

export function canImport(viewer: Viewer): boolean {
  return viewer.role === "admin";
}

export async function getImportPageData(viewer: Viewer, client: DbClient = db): Promise<ImportPageData> {
  assertRole(viewer, ["admin"], "import CRM exports");
  const [stages, teams, savedMappings, settings] = await Promise.all([
    client.stage.findMany({ select: { name: true, active: true }, orderBy: { order: "asc" } }),
    client.team.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
    listImportMappings(client),
    client.orgSettings.findUnique({ where: { id: 1 }, select: { currency: true } }),
  ]);
  return {
    stages,
    teams: teams.map((team) => team.name),
    savedMappings,
    currency: settings?.currency ?? "USD",
  };
}
