// Where the loader gets its statements from: a worker thread that generates
// the next batch while the database writes the current one (the default), or
// the main thread itself (--no-worker: simpler to debug, slower for large
// organisations).
import { Worker } from "node:worker_threads";
import { type DemoSummary, demoStatements, type StatementBatch } from "./demo-statements";
import type { DemoOptions } from "./generate";

export interface StatementSource {
  next(): Promise<IteratorResult<StatementBatch, DemoSummary>>;
  close(): Promise<void>;
}

export function inThreadSource(options: DemoOptions, dealsPerBatch?: number): StatementSource {
  const batches = demoStatements(options, dealsPerBatch);
  return {
    async next() {
      return batches.next();
    },
    async close() {},
  };
}

type WorkerReply = { done: false; batch: StatementBatch } | { done: true; summary: DemoSummary };

export function workerSource(options: DemoOptions, dealsPerBatch?: number): StatementSource {
  // The worker is TypeScript: it registers tsx first (a worker does not
  // inherit the parent's loader hooks on Node 20).
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./statement-worker.ts", import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData: { options, dealsPerBatch } },
  );

  let failure: Error | undefined;
  let closed = false;
  let waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | undefined;
  const replies: WorkerReply[] = [];
  worker.on("message", (reply: WorkerReply) => {
    if (waiting) {
      waiting.resolve(reply);
      waiting = undefined;
    } else {
      replies.push(reply);
    }
  });
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
    waiting = undefined;
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (!closed) fail(new Error(`The generator's worker thread stopped unexpectedly (exit code ${code}).`));
  });

  const ask = () => worker.postMessage("next");
  const receive = () =>
    new Promise<WorkerReply>((resolve, reject) => {
      const ready = replies.shift();
      if (ready) resolve(ready);
      else if (failure) reject(failure);
      else waiting = { resolve, reject };
    });

  ask(); // start generating the first batch right away
  return {
    async next() {
      const reply = await receive();
      if (reply.done) return { done: true, value: reply.summary };
      ask(); // generate the next batch while this one is written
      return { done: false, value: reply.batch };
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
