// The import page's two route handlers (app/api/import/{preview,apply}): who
// is asking (signed in, an administrator — the same helpers as the server
// actions), the options line validated with zod, then the files streamed
// from the request body into the reader (lib/import/upload.ts) and the
// outcome streamed back as NDJSON with progress on the way.
//
// Apply reads the files again (the browser sends them again) and plans again
// inside its transaction (run.ts), so what is written is what the data holds
// at that moment, not what an earlier preview saw.
import "server-only";
import { revalidatePath } from "next/cache";
import { ActionRefused } from "@/lib/action-result";
import { assertRole } from "@/lib/auth/permissions";
import { getActionViewer, type Viewer } from "@/lib/auth/viewer";
import { CsvFormatError } from "./csv";
import { ImportFileError } from "./read";
import { applyImport, ImportRefused, type ImportSource, previewImport, readImportFiles } from "./run";
import { type ImportRequest, importRequestSchema } from "./schema";
import {
  IMPORT_CONTENT_TYPE,
  type ImportEvent,
  MAX_OPTIONS_BYTES,
  NDJSON_CONTENT_TYPE,
  ndjsonStream,
  UploadError,
  UploadReader,
} from "./upload";

type Mode = "preview" | "apply";

function refusal(message: string, status: number): Response {
  return Response.json({ ok: false, message }, { status, headers: { "Cache-Control": "no-store" } });
}

async function admin(): Promise<Viewer | Response> {
  let viewer: Viewer;
  try {
    viewer = await getActionViewer();
  } catch (error) {
    if (error instanceof ActionRefused) return refusal(error.message, 401);
    throw error;
  }
  try {
    assertRole(viewer, ["admin"], "import CRM exports");
  } catch (error) {
    if (error instanceof ActionRefused) return refusal(error.message, 403);
    throw error;
  }
  return viewer;
}

async function readOptions(upload: UploadReader): Promise<ImportRequest | string> {
  let json: unknown;
  try {
    json = JSON.parse(await upload.readLine(MAX_OPTIONS_BYTES));
  } catch (error) {
    if (error instanceof UploadError) return `${error.message} Reload the import page and choose the files again.`;
    return "The import's options are not readable. Reload the import page and choose the files again.";
  }
  const parsed = importRequestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    );
    return `The import's options were refused (${problems.join("; ")}). Reload the import page and try again.`;
  }
  return parsed.data;
}

/** Plain words for what went wrong while reading or writing; nothing was written in any case. */
function describeFailure(error: unknown, reading: () => string | null): string {
  const file = reading();
  if (error instanceof CsvFormatError) {
    return `${file ?? "A file"}: ${error.message}. Nothing was imported. Check that it is a CSV export (save it as “CSV UTF-8” from a spreadsheet), then choose it again.`;
  }
  if (error instanceof ImportFileError || error instanceof UploadError) {
    return `${error.message} Nothing was imported.`;
  }
  if (error instanceof ActionRefused) return `${error.message} Nothing was imported.`;
  console.error("Import failed", error);
  return "The import failed because of an unexpected error, and nothing was written. Try again; if it happens again, try the command line (npm run import) for the full error.";
}

const seconds = (started: number) => Math.round((performance.now() - started) / 100) / 10;

export async function handleImportUpload(request: Request, mode: Mode): Promise<Response> {
  // Only the page's own requests: a form on another site cannot send this type
  // without the browser asking first (CORS), which this route never allows.
  if (request.headers.get("content-type")?.split(";")[0]?.trim() !== IMPORT_CONTENT_TYPE) {
    return refusal("The import accepts uploads from its own page only. Open /import and choose the files there.", 415);
  }
  const viewer = await admin();
  if (viewer instanceof Response) return viewer;
  if (!request.body) return refusal("The upload was empty. Choose the CSV files again.", 400);

  const upload = new UploadReader(request.body);
  const options = await readOptions(upload);
  if (typeof options === "string") return refusal(options, 400);

  let reading: string | null = null;
  const sources: ImportSource[] = options.files.map(({ size, ...file }) => ({
    options: file,
    content: (async function* () {
      reading = file.fileName;
      yield* upload.part(size, file.fileName);
    })(),
  }));
  const batch = { skipRejected: options.skipRejected, asOf: options.asOf, newRepTeam: options.newRepTeam };

  const body = ndjsonStream(
    async (send: (event: ImportEvent) => void) => {
      const started = performance.now();
      const indexOf = new Map(options.files.map((file, index) => [file.fileName, index]));
      const files = await readImportFiles(sources, (file, progress) =>
        send({ type: "read", file, index: indexOf.get(file) ?? 0, ...progress }),
      );
      reading = null;
      await upload.expectEnd();
      send({ type: "planning" });
      if (mode === "preview") {
        const preview = await previewImport(files, batch);
        send({ type: "preview", preview, seconds: seconds(started) });
        return;
      }
      try {
        const result = await applyImport(files, batch, { actorId: viewer.userId, via: "page" }, (progress) =>
          send({ type: "apply", ...progress }),
        );
        revalidatePath("/", "layout");
        send({ type: "result", result, seconds: seconds(started) });
      } catch (error) {
        if (!(error instanceof ImportRefused)) throw error;
        send({ type: "refused", message: error.message, preview: error.preview });
      }
    },
    (error) => describeFailure(error, () => reading),
  );
  return new Response(body, {
    headers: {
      "Content-Type": NDJSON_CONTENT_TYPE,
      // no-transform: the compression middleware would hold the progress lines back.
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
