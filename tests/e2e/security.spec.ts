// Issue 11's checks against the running production build (scripts/serve.mjs):
// the sign-in limit under rotating X-Forwarded-For, self-renaming through the
// auth API, the URLs that crashed pages, and a deactivated person's password.
//
// The auth requests go out from Node with their own loopback source address
// (127.0.0.x), so each test is a different client to the server and the
// browser tests' own sign-ins (from 127.0.0.1) are not counted with them.
import http from "node:http";
import { type BrowserContext, expect, test } from "@playwright/test";
import { DEMO_PASSWORD } from "../../lib/auth/demo";
import { emailOf } from "../../prisma/seed/stories";
import { ADMIN, STORY_TEAMS } from "../../prisma/seed/vocabulary";
import { SIGNED_IN } from "./people";

interface Answer {
  status: number;
  body: string;
}

/** One HTTP request from a chosen loopback address, as a separate client would send it. */
function request(
  baseURL: string,
  method: "GET" | "POST",
  path: string,
  options: { from: string; body?: unknown; headers?: Record<string, string> },
): Promise<Answer> {
  const url = new URL(path, baseURL);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url,
      {
        method,
        localAddress: options.from,
        headers: {
          origin: url.origin,
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
          ...options.headers,
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const signIn = (baseURL: string, from: string, email: string, password: string, headers: Record<string, string> = {}) =>
  request(baseURL, "POST", "/api/auth/sign-in/email", { from, body: { email, password }, headers });

/** Signs in through the API from its own address and returns the session cookie (name=value). */
async function sessionCookie(baseURL: string, from: string, email: string): Promise<string> {
  const answer = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
    const url = new URL("/api/auth/sign-in/email", baseURL);
    const payload = JSON.stringify({ email, password: DEMO_PASSWORD });
    const outgoing = http.request(
      url,
      {
        method: "POST",
        localAddress: from,
        headers: {
          origin: url.origin,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (response) => {
        response.resume();
        const cookie = (response.headers["set-cookie"] ?? []).map((value) => value.split(";")[0]).join("; ");
        response.on("end", () => resolve({ status: response.statusCode ?? 0, cookie }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
  expect(answer.status).toBe(200);
  return answer.cookie;
}

/**
 * This spec signs its people in itself, each from its own address, so it does
 * not depend on (or spend) the shared sign-in setup's attempts.
 */
async function signInBrowser(context: BrowserContext, baseURL: string, from: string, email: string) {
  const [name, value] = (await sessionCookie(baseURL, from, email)).split("=") as [string, string];
  await context.addCookies([{ name, value, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
}

test.describe("as the admin", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test.beforeEach(async ({ context, baseURL }) => {
    if (!baseURL) throw new Error("No base URL");
    await signInBrowser(context, baseURL, "127.0.0.60", emailOf(ADMIN));
  });

  test("the URLs that crashed pages answer a page without an error", async ({ page }) => {
    for (const path of ["/audit?to=9999-12-31", "/audit?from=0000-01-01", "/audit?from=0000-01-01&to=9999-12-31"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit trail");
      await expect(page.getByTestId("audit-total")).toBeVisible();
      await expect(page.locator("body")).not.toContainText("Could not load");
    }
    await page.goto("/deals/99999999999999999999");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deal not found");
    await expect(page.locator("body")).not.toContainText("Could not load");
  });

  test("a deactivated person's correct password gets the same answer as a wrong one", async ({ page, baseURL }) => {
    const west = STORY_TEAMS[2];
    const person = west?.reps.at(-1);
    if (!baseURL || !person) throw new Error("No base URL or demo person");
    const name = `${person.first} ${person.last}`;
    const email = emailOf(person);
    // Before: the right password signs in.
    expect((await signIn(baseURL, "127.0.0.21", email, DEMO_PASSWORD)).status).toBe(200);

    await page.goto("/users");
    await page.getByRole("link", { name, exact: true }).first().click();
    await page.getByRole("button", { name: `Deactivate ${name}` }).click();
    await page.getByRole("button", { name: "Yes, deactivate" }).click();
    await expect(page.getByTestId("access-form")).toContainText("is deactivated");

    const right = await signIn(baseURL, "127.0.0.22", email, DEMO_PASSWORD);
    const wrong = await signIn(baseURL, "127.0.0.23", email, "not their password at all");
    expect(right.status).toBe(401);
    expect(right).toEqual(wrong);

    // Leave the demo organisation as the other specs expect it.
    await page.getByRole("button", { name: `Reactivate ${name}` }).click();
    await expect(page.getByTestId("access-form")).toContainText("Deactivating signs");
  });
});

test("a rep cannot rename themselves through the auth API", async ({ baseURL }) => {
  if (!baseURL) throw new Error("No base URL");
  const cookie = await sessionCookie(baseURL, "127.0.0.30", SIGNED_IN.centralRep.email);
  const rename = await request(baseURL, "POST", "/api/auth/update-user", {
    from: "127.0.0.31",
    body: { name: "Morgan Ellis" },
    headers: { cookie },
  });
  expect(rename.status).toBe(403);
  const session = await request(baseURL, "GET", "/api/auth/get-session", { from: "127.0.0.31", headers: { cookie } });
  expect(JSON.parse(session.body)).toMatchObject({ user: { name: SIGNED_IN.centralRep.name } });
});

// Last: it spends one client's attempts.
test("rotating X-Forwarded-For does not lift the sign-in limit: the 6th wrong password gets 429", async ({
  baseURL,
}) => {
  if (!baseURL) throw new Error("No base URL");
  const statuses: number[] = [];
  for (let attempt = 1; attempt <= 6; attempt++) {
    // A different account each time, so only the per-address limit can stop it.
    const answer = await signIn(baseURL, "127.0.0.41", `nobody.${attempt}@demo.pipeline.test`, "wrong password", {
      "x-forwarded-for": `203.0.113.${attempt}`,
    });
    statuses.push(answer.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
});
