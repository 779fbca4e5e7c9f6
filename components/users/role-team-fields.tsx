"use client";
// Role, team and "manages this team": the same three controls when adding a
// person and when changing one, with the rules explained next to them.
import { useState } from "react";
import { inputClass } from "@/components/ui/field";
import type { TeamChoice } from "@/lib/users/data";
import { ROLES, type RoleName } from "@/lib/users/schema";
import { ROLE_WORDS } from "./role-words";

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="text-sm text-red-800">
      {errors.join(" ")}
    </p>
  ) : null;
}

export function RoleTeamFields({
  idPrefix,
  teams,
  errors,
  initial,
}: {
  idPrefix: string;
  teams: TeamChoice[];
  errors: Record<string, string[]>;
  initial: { role: RoleName; teamId: string | null; managesTeam: boolean };
}) {
  const [role, setRole] = useState<RoleName>(initial.role);
  const [teamId, setTeamId] = useState(initial.teamId ?? "");
  const [managesTeam, setManagesTeam] = useState(initial.managesTeam);
  const team = teams.find((candidate) => candidate.id === teamId);
  const managesItAlready = initial.managesTeam && teamId === initial.teamId;
  const otherManager = team?.managerName && !managesItAlready ? team.managerName : null;
  const ids = {
    role: `${idPrefix}-role`,
    team: `${idPrefix}-team`,
    manages: `${idPrefix}-manages`,
  };
  return (
    <>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.role} className="text-sm font-medium text-slate-800">
          Role
        </label>
        <select
          id={ids.role}
          name="role"
          value={role}
          onChange={(event) => {
            const next = event.target.value as RoleName;
            setRole(next);
            if (next !== "manager") setManagesTeam(false);
          }}
          className={inputClass}
          aria-describedby={`${ids.role}-help${errors.role ? ` ${ids.role}-error` : ""}`}
          aria-invalid={errors.role ? true : undefined}
        >
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {ROLE_WORDS[value].label}
            </option>
          ))}
        </select>
        <p id={`${ids.role}-help`} className="text-xs text-slate-600">
          {ROLE_WORDS[role].help}
        </p>
        <FieldError id={`${ids.role}-error`} errors={errors.role} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.team} className="text-sm font-medium text-slate-800">
          Team
        </label>
        <select
          id={ids.team}
          name="teamId"
          value={teamId}
          onChange={(event) => setTeamId(event.target.value)}
          className={inputClass}
          aria-describedby={errors.teamId ? `${ids.team}-error` : undefined}
          aria-invalid={errors.teamId ? true : undefined}
        >
          <option value="">{role === "admin" ? "No team" : "Pick a team…"}</option>
          {teams.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.name}
            </option>
          ))}
        </select>
        <FieldError id={`${ids.team}-error`} errors={errors.teamId} />
      </div>
      <div className="flex flex-col gap-1 sm:col-span-2">
        <div className="flex items-center gap-2">
          <input
            id={ids.manages}
            name="managesTeam"
            type="checkbox"
            checked={managesTeam}
            disabled={role !== "manager" || !teamId}
            onChange={(event) => setManagesTeam(event.target.checked)}
            className="h-4 w-4 rounded border-slate-400"
            aria-describedby={`${ids.manages}-help${errors.managesTeam ? ` ${ids.manages}-error` : ""}`}
            aria-invalid={errors.managesTeam ? true : undefined}
          />
          <label htmlFor={ids.manages} className="text-sm font-medium text-slate-800">
            Manager of this team
          </label>
        </div>
        <p id={`${ids.manages}-help`} className="text-xs text-slate-600">
          {role !== "manager"
            ? "Only a manager can manage a team."
            : !team
              ? "Pick a team first."
              : managesItAlready
                ? `They manage ${team.name}. Untick to leave it without a manager.`
                : otherManager
                  ? managesTeam
                    ? `${otherManager} manages ${team.name} now and will stop managing it.`
                    : `${team.name} is managed by ${otherManager}.`
                  : `${team.name} has no manager now.`}
        </p>
        <FieldError id={`${ids.manages}-error`} errors={errors.managesTeam} />
      </div>
    </>
  );
}
