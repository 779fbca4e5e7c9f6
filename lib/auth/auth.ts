// Sign-in with better-auth (email + password, sessions in the database,
// passwords hashed by the library, a database-backed rate limit on sign-in).
// No hand-written crypto or session handling: this file only configures it.
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db";

/** Sign-in attempts allowed per client address per window before refusing. */
export const SIGN_IN_ATTEMPTS = 5;
export const SIGN_IN_WINDOW_SECONDS = 300;

// A fixed development secret keeps `npm run demo` to one command; production
// must set its own (checked at start-up in instrumentation.ts).
const DEV_SECRET = "pipeline-integrity-development-secret-not-for-production";

function createAuth() {
  const baseURL = process.env.BETTER_AUTH_URL;
  return betterAuth({
    appName: "Pipeline Integrity",
    secret: process.env.BETTER_AUTH_SECRET || DEV_SECRET,
    baseURL,
    trustedOrigins: (process.env.TRUSTED_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    database: prismaAdapter(db, { provider: "postgresql" }),
    account: { modelName: "authAccount" },
    emailAndPassword: {
      enabled: true,
      // Admins create people (the users page); nobody signs themselves up.
      disableSignUp: true,
      minPasswordLength: 10,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        role: { type: "string", input: false },
        teamId: { type: "string", required: false, input: false },
        active: { type: "boolean", input: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 200,
      customRules: { "/sign-in/email": { window: SIGN_IN_WINDOW_SECONDS, max: SIGN_IN_ATTEMPTS } },
    },
    advanced: {
      // Secure cookies whenever the app is served over HTTPS.
      useSecureCookies: baseURL?.startsWith("https://") ?? false,
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as typeof globalThis & { __pipelineAuth?: Auth };

/** Created on first use, like the database client. */
export function getAuth(): Auth {
  globalForAuth.__pipelineAuth ??= createAuth();
  return globalForAuth.__pipelineAuth;
}
