// POST the import page's files (lib/import/upload.ts): what the import would
// do, streamed back as NDJSON. Writes nothing.
import { handleImportUpload } from "@/lib/import/http";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleImportUpload(request, "preview");
}
