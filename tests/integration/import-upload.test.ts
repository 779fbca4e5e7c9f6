// The import page's route handlers against a real database: the upload's
// bytes streamed in (options line + files back to back, in small chunks as a
// browser sends them), NDJSON progress and outcome out; only signed-in
// administrators; preview writes nothing; apply writes all of it in one go
// and refuses — writing nothing — while a rejected row is not explicitly
// left out.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { handleImportUpload } from "@/lib/import/http";
import type { ImportRequest } from "@/lib/import/schema";
import { IMPORT_CONTENT_TYPE, type ImportEvent } from "@/lib/import/upload";
import { resetDatabase } from "../fixtures/reset-database";
import { signInAs, signOut } from "../fixtures/sign-in";
import { createSmallOrg, type SmallOrg } from "../fixtures/small-org";
import { databaseState } from "./import-helpers";

let org: SmallOrg;
// Each case from the same small organisation: the preview's counts ("new: 2")
// must not depend on whether the apply case imported the file before it.
beforeEach(async () => {
  await resetDatabase();
  org = await createSmallOrg();
});

const DEALS = [
  "Ref No,Company,Deal name,Sales rep,Stage,Value,Opened,Expected close",
  "U-1,Harbor Analytics,Harbor pilot,Ana Rep,Discovery,18500,2026-05-05,2026-09-29",
  "U-2,Summit Foods,Summit routes,Ben Rep,Evaluating,42000,2026-04-14,2026-08-15",
  "U-3,Lakeside Retail,Lakeside loyalty,Ana Rep,Discovery,9900,2026-02-30,2026-09-01",
  "",
].join("\n");

const MAPPING = {
  kind: "deals" as const,
  preset: "generic" as const,
  source: "upload-test",
  columns: { externalId: "Ref No" },
  stages: { Evaluating: "Qualification" },
};

/** A request as the page sends it, the body arriving in 7-byte chunks. */
function uploadRequest(options: Omit<ImportRequest, "files">, files: { name: string; text: string }[], mapping = {}) {
  const encoder = new TextEncoder();
  const request = {
    ...options,
    files: files.map((file) => ({
      fileName: file.name,
      size: encoder.encode(file.text).byteLength,
      kind: "deals",
      preset: "generic",
      mapping,
    })),
  };
  const bytes = encoder.encode(`${JSON.stringify(request)}\n${files.map((file) => file.text).join("")}`);
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + 7));
      at += 7;
    },
  });
  return new Request("http://localhost/api/import/preview", {
    method: "POST",
    body,
    headers: { "Content-Type": IMPORT_CONTENT_TYPE },
    duplex: "half",
  } as RequestInit);
}

async function events(response: Response): Promise<ImportEvent[]> {
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ImportEvent);
}

const deals = [{ name: "deals.csv", text: DEALS }];

describe("who may upload", () => {
  it("answers 401 when signed out and 403 to a manager, before reading the files", async () => {
    signOut();
    const signedOut = await handleImportUpload(uploadRequest({ skipRejected: false }, deals, MAPPING), "preview");
    expect(signedOut.status).toBe(401);
    expect((await signedOut.json()).message).toContain("You are signed out");

    await signInAs(org.people.centralManager);
    const manager = await handleImportUpload(uploadRequest({ skipRejected: false }, deals, MAPPING), "apply");
    expect(manager.status).toBe(403);
    expect(await manager.json()).toEqual({
      ok: false,
      message: "Only administrators can import CRM exports. Ask your manager.",
    });
  });

  it("answers 415 to anything but the page's own upload type (a form on another site cannot send it)", async () => {
    await signInAs(org.people.admin);
    const text = await uploadRequest({ skipRejected: true }, deals, MAPPING).text();
    const before = await databaseState();
    const response = await handleImportUpload(
      new Request("http://localhost/api/import/apply", {
        method: "POST",
        body: text,
        headers: { "Content-Type": "text/plain" },
      }),
      "apply",
    );
    expect(response.status).toBe(415);
    expect((await response.json()).message).toContain("Open /import");
    expect(await databaseState()).toEqual(before);
  });

  it("answers 400 with what to do when the options are not the page's", async () => {
    await signInAs(org.people.admin);
    const response = await handleImportUpload(
      new Request("http://localhost/api/import/preview", {
        method: "POST",
        body: '{"files":[]}\n',
        headers: { "Content-Type": IMPORT_CONTENT_TYPE },
      }),
      "preview",
    );
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/Choose at least one CSV file.*Reload the import page/);
  });
});

describe("preview", () => {
  it("streams the read progress and the preview: the rejected row with its line and reason; writes nothing", async () => {
    await signInAs(org.people.admin);
    const before = await databaseState();
    const response = await handleImportUpload(uploadRequest({ skipRejected: false }, deals, MAPPING), "preview");
    expect(response.status).toBe(200);
    const all = await events(response);
    expect(all.map((event) => event.type)).toEqual(["read", "planning", "preview"]);
    const read = all[0];
    expect(read).toMatchObject({ type: "read", file: "deals.csv", index: 0, records: 4 });
    const last = all.at(-1);
    if (last?.type !== "preview") throw new Error("no preview");
    const [file] = last.preview.files;
    expect(file?.counts).toEqual({ new: 2, updated: 0, unchanged: 0, rejected: 1, skipped: 0 });
    expect(file?.rejected).toEqual([
      { line: 4, id: "U-3", reason: expect.stringContaining("“2026-02-30” is not a real calendar date") },
    ]);
    expect(last.preview.blockers).toEqual([expect.stringContaining("1 row is rejected")]);
    expect(await databaseState()).toEqual(before);
  });

  it("says which file is cut short when the body ends early", async () => {
    await signInAs(org.people.admin);
    const request = uploadRequest({ skipRejected: true }, deals, MAPPING);
    const text = await request.text();
    const short = new Request("http://localhost/api/import/preview", {
      method: "POST",
      body: text.slice(0, -40),
      headers: { "Content-Type": IMPORT_CONTENT_TYPE },
    });
    const all = await events(await handleImportUpload(short, "preview"));
    expect(all.at(-1)).toEqual({
      type: "error",
      message: expect.stringMatching(
        /The upload of deals.csv stopped after \d+ of its \d+ bytes.*Nothing was imported/,
      ),
    });
  });
});

describe("apply", () => {
  it("refuses while a rejected row is not explicitly left out, writing nothing", async () => {
    await signInAs(org.people.admin);
    const before = await databaseState();
    const all = await events(await handleImportUpload(uploadRequest({ skipRejected: false }, deals, MAPPING), "apply"));
    const last = all.at(-1);
    expect(last?.type).toBe("refused");
    if (last?.type !== "refused") return;
    expect(last.message).toContain("choose to import the rest");
    expect(last.preview.rejectedRows).toBe(1);
    expect(await databaseState()).toEqual(before);
  });

  it("imports the rest in one transaction, streaming each step, with the owners for links", async () => {
    await signInAs(org.people.admin);
    const all = await events(await handleImportUpload(uploadRequest({ skipRejected: true }, deals, MAPPING), "apply"));
    const steps = all.filter((event) => event.type === "apply").map((event) => event.step);
    expect(steps).toEqual(expect.arrayContaining(["people", "deals", "rollups", "audit"]));
    const last = all.at(-1);
    if (last?.type !== "result") throw new Error(`no result: ${JSON.stringify(last)}`);
    const [file] = last.result.files;
    expect(file?.counts).toMatchObject({ new: 2, rejected: 1 });
    expect(file?.owners.map((owner) => owner.name).sort()).toEqual(["Ana Rep", "Ben Rep"]);

    const imported = await db.opportunity.findMany({
      where: { source: "upload-test" },
      select: { externalId: true, ownerId: true, stage: { select: { name: true } } },
      orderBy: { externalId: "asc" },
    });
    expect(imported).toEqual([
      { externalId: "U-1", ownerId: org.people.ana.userId, stage: { name: "Discovery" } },
      { externalId: "U-2", ownerId: org.people.ben.userId, stage: { name: "Qualification" } },
    ]);
    const audit = await db.auditEvent.findFirst({ where: { action: "import.apply" }, orderBy: { id: "desc" } });
    expect(audit?.actorId).toBe(org.people.admin.userId);

    // The same file again changes nothing.
    const again = await events(
      await handleImportUpload(uploadRequest({ skipRejected: true }, deals, MAPPING), "preview"),
    );
    const repeat = again.at(-1);
    if (repeat?.type !== "preview") throw new Error("no preview");
    expect(repeat.preview.files[0]?.counts).toMatchObject({ new: 0, unchanged: 2 });
    expect(repeat.preview.nothingToChange).toBe(true);
  });
});
