// Sign-in with better-auth (email + password, sessions in the database,
// passwords hashed by the library, a database-backed rate limit on sign-in).
// No hand-written crypto or session handling: this file configures it, and
// its hooks (./auth-hooks.ts) close what the app does not offer.
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db";
import { CLIENT_ADDRESS_HEADER } from "./client-address.mjs";
import { afterAuthRequest, beforeAuthRequest, refuseSessionsOfDeactivatedPeople } from "./auth-hooks";

/** Sign-in attempts allowed per client address per window before refusing. */
export const SIGN_IN_ATTEMPTS = 5;
export const SIGN_IN_WINDOW_SECONDS = 300;

// A fixed development secret keeps `npm run demo` to one command; production
// must set its own (checked at start-up in instrumentation.ts).
const DEV_SECRET = "pipeline-integrity-development-secret-not-for-production";

function configuredOrigins(): string[] {
  return (process.env.TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * Without BETTER_AUTH_URL (the demo, development), better-auth takes the
 * server's own URL as http://localhost:<port>, and a sign-in from
 * http://127.0.0.1:<port> — the same server — is refused as "Invalid
 * origin". On loopback only, the request's own host is trusted too; a page
 * on any other site still cannot sign anyone in. Production sets
 * BETTER_AUTH_URL and this adds nothing.
 */
function loopbackOrigin(request: Request | undefined): string[] {
  const host = request?.headers.get("host") ?? "";
  return LOOPBACK_HOST.test(host) ? [`http://${host}`] : [];
}

function createAuth() {
  const baseURL = process.env.BETTER_AUTH_URL;
  return betterAuth({
    appName: "Pipeline Integrity",
    secret: process.env.BETTER_AUTH_SECRET || DEV_SECRET,
    baseURL,
    trustedOrigins: (request) => [...configuredOrigins(), ...(baseURL ? [] : loopbackOrigin(request))],
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
      // The client's address only from the header our server sets
      // (scripts/serve.mjs), never from X-Forwarded-For, which any client writes.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: { before: beforeAuthRequest, after: afterAuthRequest },
    databaseHooks: { session: { create: { before: refuseSessionsOfDeactivatedPeople } } },
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
