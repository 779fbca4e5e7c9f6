// The auth layer as an attacker meets it (issue 11, findings 2, 4 and 5),
// through better-auth's real HTTP handler on the test database: the sign-in
// limits, self-service profile changes, and deactivated people.
import { beforeAll, describe, expect, it } from "vitest";
import { getAuth, SIGN_IN_ATTEMPTS } from "@/lib/auth/auth";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address.mjs";
import { ACCOUNT_FAILURES_ALLOWED } from "@/lib/auth/failed-sign-ins";
import { db } from "@/lib/db";
import { deactivateUserAction } from "@/lib/users/actions";
import { giveSignIn, signInAs, TEST_PASSWORD } from "../fixtures/sign-in";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";

let org: SmallOrg;
const emails: Record<string, string> = {};

beforeAll(async () => {
  org = await createSmallOrg();
  for (const [key, person] of Object.entries(org.people)) {
    await giveSignIn(person.userId);
    emails[key] = (await db.user.findUniqueOrThrow({ where: { id: person.userId } })).email;
  }
});

function authRequest(path: string, body: unknown, headers: Record<string, string> = {}) {
  return getAuth().handler(
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
  authRequest("/sign-in/email", { email, password }, headers);

/** The session cookie of a real sign-in (through better-auth's API: setting up, not what is tested). */
async function cookieOf(email: string): Promise<string> {
  const response = await getAuth().api.signInEmail({ body: { email, password: TEST_PASSWORD }, asResponse: true });
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

describe("finding 2: the sign-in limit cannot be lifted by X-Forwarded-For", () => {
  it("refuses the 6th attempt from one client whatever X-Forwarded-For says", async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= SIGN_IN_ATTEMPTS + 1; attempt++) {
      const response = await signIn(emails.ben as string, `wrong password ${attempt}`, {
        [CLIENT_ADDRESS_HEADER]: "198.51.100.20",
        "x-forwarded-for": `203.0.113.${attempt}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("refuses an account after 5 wrong passwords even when each comes from another address", async () => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= ACCOUNT_FAILURES_ALLOWED + 1; attempt++) {
      const response = await signIn(emails.wes as string, `wrong password ${attempt}`, {
        [CLIENT_ADDRESS_HEADER]: `192.0.2.${attempt}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // The right password now waits too, and the answer says why and what to do.
    const right = await signIn(emails.wes as string, TEST_PASSWORD, { [CLIENT_ADDRESS_HEADER]: "192.0.2.99" });
    expect(right.status).toBe(429);
    expect(await right.json()).toMatchObject({
      message: expect.stringMatching(/Too many wrong passwords.*administrator/),
    });
    // Other people are not locked out by it.
    const other = await signIn(emails.westManager as string, TEST_PASSWORD, { [CLIENT_ADDRESS_HEADER]: "192.0.2.100" });
    expect(other.status).toBe(200);
  });
});

describe("finding 4: people cannot rename themselves", () => {
  it("refuses update-user and change-email for a signed-in rep and changes nothing", async () => {
    const cookie = await cookieOf(emails.ana as string);
    const rename = await authRequest("/update-user", { name: "Morgan Ellis" }, { cookie });
    expect(rename.status).toBe(403);
    expect(await rename.json()).toMatchObject({ message: expect.stringMatching(/administrator on the People page/) });
    const email = await authRequest("/change-email", { newEmail: "someone@else.example" }, { cookie });
    expect(email.status).toBe(403);
    const user = await db.user.findUniqueOrThrow({ where: { id: org.people.ana.userId } });
    expect({ name: user.name, email: user.email }).toEqual({ name: "Ana Rep", email: emails.ana });
  });
});

describe("finding 5: a deactivated person is refused by the auth layer", () => {
  it("answers their correct password exactly as a wrong one, creates no session, and ends the old ones", async () => {
    const cookie = await cookieOf(emails.centralManager as string);
    await signInAs(org.people.admin);
    const deactivated = await deactivateUserAction(undefined, { userId: org.people.centralManager.userId });
    expect(deactivated).toMatchObject({ ok: true });
    expect(await db.session.count({ where: { userId: org.people.centralManager.userId } })).toBe(0);
    const audit = await db.auditEvent.findFirst({
      where: { entityType: "user", entityId: org.people.centralManager.userId, action: { contains: "deactivate" } },
    });
    expect(audit?.after).toMatchObject({ active: false });

    const right = await signIn(emails.centralManager as string, TEST_PASSWORD, {
      [CLIENT_ADDRESS_HEADER]: "198.51.100.51",
    });
    const wrong = await signIn(emails.centralManager as string, "not the password", {
      [CLIENT_ADDRESS_HEADER]: "198.51.100.52",
    });
    expect(right.status).toBe(401);
    expect({ status: right.status, body: await right.json() }).toEqual({
      status: wrong.status,
      body: await wrong.json(),
    });
    expect(right.headers.getSetCookie().filter((value) => value.includes("session_token="))).toEqual([]);
    expect(await db.session.count({ where: { userId: org.people.centralManager.userId } })).toBe(0);

    // The old cookie no longer changes anything either.
    const change = await authRequest(
      "/change-password",
      { currentPassword: TEST_PASSWORD, newPassword: "a brand new password" },
      { cookie },
    );
    expect(change.status).not.toBe(200);
  });
});
