// The browser side of sign-in: talks to /api/auth (same origin).
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();
