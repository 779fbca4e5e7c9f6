// What the people forms accept: add a person, change their role and team,
// deactivate or reactivate them, set a new password. Shared by the forms
// (field names, messages) and the server actions (FormData or plain objects).
import { z } from "zod";

export const ROLES = ["admin", "manager", "rep"] as const;
export type RoleName = (typeof ROLES)[number];

/** better-auth is configured with the same minimum (lib/auth/auth.ts). */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 128;

const emptyToNull = (value: unknown) => (value === "" || value === undefined ? null : value);
const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

const userId = z.string({ error: "Which person? Reload the page." }).trim().min(1, "Which person? Reload the page.");

const name = z
  .string({ error: "Give their name." })
  .trim()
  .min(1, "Give their name, as colleagues know it.")
  .max(100, "Keep the name under 100 characters.");

// better-auth looks people up by the lowercased address, so it is stored that way.
const email = z
  .string({ error: "Give their email address." })
  .trim()
  .toLowerCase()
  .pipe(z.email("This is not an email address: it needs a name, an @ and a domain, like ana@example.com."));

const role = z.enum(ROLES, { error: "Pick a role: admin, manager or rep." });

const teamId = z.preprocess(emptyToNull, z.string().trim().min(1).nullable());

export const password = z
  .string({ error: "Set a password." })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Keep it under ${MAX_PASSWORD_LENGTH} characters.`);

/** Role, team and "manages the team" must agree; the messages go next to the field at fault. */
function checkRoleAndTeam(
  value: { role: RoleName; teamId: string | null; managesTeam: boolean },
  ctx: z.RefinementCtx,
): void {
  if (value.role !== "admin" && !value.teamId) {
    ctx.addIssue({
      code: "custom",
      path: ["teamId"],
      message:
        value.role === "rep"
          ? "Pick the rep's team, so their manager sees their pipeline."
          : "Pick the team this manager belongs to.",
    });
  }
  if (value.managesTeam && value.role !== "manager") {
    ctx.addIssue({
      code: "custom",
      path: ["managesTeam"],
      message: "Only a manager can manage a team: choose the manager role or untick this.",
    });
  }
  if (value.managesTeam && !value.teamId) {
    ctx.addIssue({ code: "custom", path: ["managesTeam"], message: "Pick the team they will manage." });
  }
}

export const createUserSchema = z
  .object({ name, email, role, teamId, managesTeam: checkbox.default(false), password })
  .superRefine(checkRoleAndTeam);
export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({ userId, role, teamId, managesTeam: checkbox.default(false) })
  .superRefine(checkRoleAndTeam);
export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const userRefSchema = z.object({ userId });
export type UserRefInput = z.output<typeof userRefSchema>;

export const resetPasswordSchema = z.object({ userId, password });
export type ResetPasswordInput = z.output<typeof resetPasswordSchema>;

/** The filters of the people list, from the URL. Unknown values are ignored, not errors. */
export const peopleFiltersSchema = z.object({
  team: z.string().trim().min(1).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(["active", "deactivated", "all"]).catch("all").default("all"),
});
export type PeopleFilters = z.output<typeof peopleFiltersSchema>;
