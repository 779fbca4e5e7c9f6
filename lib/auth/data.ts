// Reads for sign-in: the demo accounts to offer as one-click buttons, only
// while the demo organisation is loaded (a flag in the database).
import "server-only";
import { db } from "@/lib/db";
import { DEMO_PASSWORD } from "./demo";
import { holdsOnlyTheDemo } from "./demo-data";

export async function getDemoSignIns(): Promise<{
  password: string;
  accounts: { label: string; email: string }[];
} | null> {
  if (!(await holdsOnlyTheDemo())) return null;
  const people = await db.user.findMany({
    where: { active: true, authAccounts: { some: { providerId: "credential" } } },
    select: {
      name: true,
      email: true,
      role: true,
      team: { select: { name: true } },
      managedTeam: { select: { id: true } },
    },
    orderBy: [{ role: "asc" }, { name: "asc" }],
  });
  const admin = people.find((person) => person.role === "admin");
  const managers = people.filter((person) => person.role === "manager" && person.managedTeam);
  // One rep per team is enough to show what a rep sees.
  const reps = new Map<string, (typeof people)[number]>();
  for (const person of people) {
    const team = person.team?.name ?? "";
    if (person.role === "rep" && !reps.has(team)) reps.set(team, person);
  }
  const accounts = [
    ...(admin ? [{ label: `Sign in as an admin (${admin.name})`, email: admin.email }] : []),
    ...managers.map((m) => ({
      label: `Sign in as a manager (${m.name}, ${m.team?.name ?? "no team"})`,
      email: m.email,
    })),
    ...[...reps.values()].map((r) => ({
      label: `Sign in as a rep (${r.name}, ${r.team?.name ?? "no team"})`,
      email: r.email,
    })),
  ];
  return { password: DEMO_PASSWORD, accounts };
}
