// The first administrator of a database that was not seeded with the demo
// (`npm run admin:create`): nobody can sign in to add people until someone
// is an admin, so this write runs without a signed-in actor. It creates the
// person, or promotes and reactivates the one with that email, with an email +
// password sign-in hashed by better-auth exactly as the people page does, and
// records the change in the audit trail (actor: none, via the command line).
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { ActionRefused } from "@/lib/action-result";
import { recordAudit } from "@/lib/audit/mutations";
import { db } from "@/lib/db";
import { MIN_PASSWORD_LENGTH, password as passwordSchema } from "./schema";

export const firstAdminSchema = z.object({
  email: z
    .string({ error: "Give the administrator's email with --email." })
    .trim()
    .toLowerCase()
    .pipe(z.email("--email is not an email address: it needs a name, an @ and a domain, like ana@example.com.")),
  name: z
    .string({ error: 'Give the administrator\'s name with --name "First Last".' })
    .trim()
    .min(1, 'Give the administrator\'s name with --name "First Last".')
    .max(100, "Keep the name under 100 characters."),
  password: passwordSchema
    .refine((value) => value.trim().length >= MIN_PASSWORD_LENGTH, {
      message: `ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters that are not spaces.`,
    })
    .optional(),
});
export type FirstAdminInput = z.input<typeof firstAdminSchema>;

/** A password to print once when ADMIN_PASSWORD is not set: 20 characters, ~120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

export interface FirstAdminResult {
  userId: string;
  /** created: a new person; promoted: an existing person made an active admin; unchanged: already one. */
  outcome: "created" | "promoted" | "password-set";
  /** Only when it was generated here, to print once. */
  generatedPassword: string | null;
}

/**
 * Creates or promotes an active admin with a password sign-in. The password
 * replaces any earlier one of that person (that is what the command is for
 * when an admin forgot theirs), and their open sessions end.
 */
export async function createOrPromoteAdmin(input: FirstAdminInput, now = new Date()): Promise<FirstAdminResult> {
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) {
    throw new ActionRefused(parsed.error.issues.map((issue) => issue.message).join(" "), "invalid");
  }
  const { email, name } = parsed.data;
  const generatedPassword = parsed.data.password === undefined ? generatePassword() : null;
  // Hashed before the transaction opens: scrypt is slow on purpose.
  const passwordHash = await hashPassword(parsed.data.password ?? (generatedPassword as string));

  return db.$transaction(async (tx) => {
    const existing = await tx.user.findFirst({
      where: { email: { equals: email, mode: "insensitive" } },
      select: { id: true, name: true, role: true, active: true },
    });
    let userId: string;
    let outcome: FirstAdminResult["outcome"];
    if (!existing) {
      const user = await tx.user.create({
        data: { name, email, role: "admin", active: true, emailVerified: true },
        select: { id: true },
      });
      userId = user.id;
      outcome = "created";
    } else {
      userId = existing.id;
      outcome = existing.role === "admin" && existing.active ? "password-set" : "promoted";
      if (outcome === "promoted") {
        await tx.user.update({ where: { id: userId }, data: { role: "admin", active: true } });
      }
    }
    const credential = await tx.authAccount.findFirst({
      where: { userId, providerId: "credential" },
      select: { id: true },
    });
    if (credential) {
      await tx.authAccount.update({ where: { id: credential.id }, data: { password: passwordHash } });
    } else {
      await tx.authAccount.create({
        data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash },
      });
    }
    await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      actorId: null,
      action: outcome === "created" ? "user.create" : "user.update",
      entityType: "user",
      entityId: userId,
      // Never the password nor its hash.
      before: existing ? { name: existing.name, role: existing.role, active: existing.active } : null,
      after: {
        name: existing?.name ?? name,
        email,
        role: "admin",
        active: true,
        signIn: "password set with npm run admin:create",
      },
      at: now,
    });
    return { userId, outcome, generatedPassword };
  });
}
