// POST the import page's files again (lib/import/upload.ts): the import in
// one transaction, with its progress and result streamed back as NDJSON.
import { handleImportUpload } from "@/lib/import/http";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleImportUpload(request, "apply");
}
