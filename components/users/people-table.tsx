// Everyone who can (or could) sign in: role, team, whether they are active,
// and when they last used the app. Each name opens the person's page, where
// an admin changes them.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate } from "@/lib/format";
import type { PersonRow } from "@/lib/users/data";
import { ROLE_WORDS } from "./role-words";

export function PeopleTable({
  people,
  viewerId,
  filtered,
}: {
  people: PersonRow[];
  viewerId: string;
  filtered: boolean;
}) {
  if (people.length === 0) {
    return filtered ? (
      <EmptyState title="Nobody matches these filters">
        <Link href="/users" className="text-blue-800 underline">
          Clear the filters
        </Link>{" "}
        to see everyone.
      </EmptyState>
    ) : (
      <EmptyState title="Nobody here yet">Add the first person above, or import your team.</EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="people-table">
        <caption className="sr-only">
          People who can sign in, with their role, team, status and last sign-in. Select a name to change them.
        </caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Email
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Role
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Team
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Last sign-in
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr
              key={person.id}
              className={`border-t border-slate-100 ${person.active ? "" : "bg-slate-50 text-slate-500"}`}
            >
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link
                  href={`/users/${encodeURIComponent(person.id)}`}
                  className={`underline-offset-2 hover:underline ${person.active ? "text-blue-800" : "text-slate-600"}`}
                >
                  {person.name}
                </Link>
                {person.id === viewerId ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}
              </th>
              <td className="px-3 py-2 break-all">{person.email}</td>
              <td className="px-3 py-2">
                <Badge tone={person.role === "admin" ? "waived" : person.role === "manager" ? "nudge" : "neutral"}>
                  {ROLE_WORDS[person.role].label}
                </Badge>
              </td>
              <td className="px-3 py-2">
                {person.team?.name ?? <span className="text-slate-500">No team</span>}
                {person.manages ? (
                  <span className="block text-xs text-slate-600">
                    manages {person.manages.id === person.team?.id ? "it" : person.manages.name}
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <span className="flex flex-wrap gap-1">
                  {person.active ? <Badge tone="healthy">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>}
                  {person.active && !person.hasPassword ? (
                    <Badge tone="at_risk" title="They cannot sign in until an admin sets a password.">
                      No password yet
                    </Badge>
                  ) : null}
                </span>
              </td>
              <td className="px-3 py-2 tabular-nums">
                {person.lastSignInAt ? formatDate(person.lastSignInAt) : <span className="text-slate-500">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
