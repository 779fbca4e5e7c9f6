// Worker thread of the loader: generates and encodes the demo organisation
// (demo-statements.ts) one batch ahead of the database. PGlite runs on the
// main thread, so without this the database would sit idle while JavaScript
// generates the next batch. Protocol: the main thread posts "next"; the
// worker answers with the next batch, or with the summary when done.
import { parentPort, workerData } from "node:worker_threads";
import { demoStatements } from "./demo-statements";
import type { DemoOptions } from "./generate";

const { options, dealsPerBatch } = workerData as { options: DemoOptions; dealsPerBatch: number };
const batches = demoStatements(options, dealsPerBatch);

parentPort?.on("message", () => {
  const next = batches.next();
  parentPort?.postMessage(next.done ? { done: true, summary: next.value } : { done: false, batch: next.value });
});
