// Sends the chosen files to an import route handler the way lib/import/upload.ts
// reads them — the options line, then the files' bytes as the body (a Blob of
// the File objects: nothing is read into memory here) — and reads the NDJSON
// answer as it streams. XMLHttpRequest, because fetch cannot report upload
// progress.
import type { ImportRequest } from "@/lib/import/schema";
import { IMPORT_CONTENT_TYPE, type ImportEvent, NdjsonLines } from "@/lib/import/upload";

export interface UploadHandlers {
  /** Bytes of the body sent so far. */
  onUpload: (loaded: number, total: number) => void;
  /** Every event the server streams, in order. */
  onEvent: (event: ImportEvent) => void;
}

/** The last event of the answer (the outcome), or a message for a failure before it. */
export function sendImport(
  url: string,
  request: ImportRequest,
  files: File[],
  handlers: UploadHandlers,
): Promise<ImportEvent> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const lines = new NdjsonLines();
    let seen = 0;
    let last: ImportEvent | null = null;
    const fail = (message: string) => resolve({ type: "error", message });

    const read = () => {
      if (xhr.status !== 200) return;
      const text = xhr.responseText;
      for (const event of lines.push(text.slice(seen))) {
        last = event;
        handlers.onEvent(event);
      }
      seen = text.length;
    };

    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", IMPORT_CONTENT_TYPE);
    xhr.upload.onprogress = (event) => handlers.onUpload(event.loaded, event.total);
    xhr.onprogress = read;
    xhr.onload = () => {
      if (xhr.status !== 200) {
        let message = `The server answered ${xhr.status} ${xhr.statusText}. Nothing was imported; reload the page and try again.`;
        try {
          const body = JSON.parse(xhr.responseText) as { message?: string };
          if (body.message) message = body.message;
        } catch {
          // not our JSON: keep the status line
        }
        fail(message);
        return;
      }
      try {
        read();
        for (const event of lines.end()) {
          last = event;
          handlers.onEvent(event);
        }
      } catch {
        fail(
          "The server's answer was cut off. Check the audit trail to see whether the import was recorded, then try again.",
        );
        return;
      }
      if (last && ["preview", "result", "refused", "error"].includes(last.type)) resolve(last);
      else
        fail(
          "The server stopped answering before the end. If you were importing, check the audit trail to see whether it was recorded; otherwise try again.",
        );
    };
    xhr.onerror = () =>
      fail(
        "The connection to the server was lost. Check that the app is still running, then try again. If you were importing, the audit trail shows whether the import was recorded.",
      );
    xhr.send(new Blob([`${JSON.stringify(request)}\n`, ...files]));
  });
}
