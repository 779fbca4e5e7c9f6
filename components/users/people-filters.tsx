// Filters of the people list, kept in the URL (a plain GET form: works
// without JavaScript, and a filtered list can be shared).
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { TeamChoice } from "@/lib/users/data";
import { ROLES, type PeopleFilters } from "@/lib/users/schema";
import { ROLE_WORDS } from "./role-words";

export function PeopleFiltersForm({ filters, teams }: { filters: PeopleFilters; teams: TeamChoice[] }) {
  const filtered = Boolean(filters.team || filters.role || filters.status !== "all");
  return (
    <form method="get" action="/users" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter people">
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-team" className="text-sm font-medium text-slate-800">
          Team
        </label>
        <select id="filter-team" name="team" defaultValue={filters.team ?? ""} className={inputClass}>
          <option value="">All teams</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
          <option value="none">No team</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-role" className="text-sm font-medium text-slate-800">
          Role
        </label>
        <select id="filter-role" name="role" defaultValue={filters.role ?? ""} className={inputClass}>
          <option value="">All roles</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_WORDS[role].plural}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-status" className="text-sm font-medium text-slate-800">
          Status
        </label>
        <select id="filter-status" name="status" defaultValue={filters.status} className={inputClass}>
          <option value="all">Active and deactivated</option>
          <option value="active">Active only</option>
          <option value="deactivated">Deactivated only</option>
        </select>
      </div>
      <Button type="submit">Show</Button>
      {filtered ? (
        <Link href="/users" className="self-center text-sm text-blue-800 underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
