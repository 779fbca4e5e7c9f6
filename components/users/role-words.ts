// Roles in words, for the people list and forms.
import type { RoleName } from "@/lib/users/schema";

export const ROLE_WORDS: Record<RoleName, { label: string; plural: string; help: string }> = {
  admin: { label: "Admin", plural: "Admins", help: "Everything: every team, settings, imports and people." },
  manager: {
    label: "Manager",
    plural: "Managers",
    help: "Their team: reviews, decisions on deals, meeting mode, quotas.",
  },
  rep: {
    label: "Rep",
    plural: "Reps",
    help: "Their own deals: log activity, update next steps and close dates, ask for a waiver.",
  },
};
