// The production server's load trace (scripts/serve.mjs, PIPELINE_LOAD_TRACE=<file>):
// each second one JSON line with the wall-clock second, how late the event loop
// ran at worst and at p99 (ms), garbage collection's pauses (count, total ms,
// longest), the page cache's loads and reloads in that second and reloads
// still waiting, the answers finished, and the process's CPU ms. Laid beside
// bench:load's "slowest 1%" windows it says whether a burst of slow answers
// came with the cache's reloads, a collection or neither (issue 13).
import { appendFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

export function startLoadTrace(file) {
  writeFileSync(file, "");
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let gc = { count: 0, ms: 0, longest: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.ms += entry.duration;
      gc.longest = Math.max(gc.longest, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  let answered = 0;
  globalThis.__pipelineAnswered = () => {
    answered += 1;
  };
  // The embedded database's statements, counted by their first words: PGlite
  // answers one at a time on this thread, so each one holds every request back.
  let statements = new Map();
  const countStatements = () => {
    const pglite = globalThis.__pipelineConnection?.pglite;
    if (!pglite || pglite.__loadTraceCounted) return;
    pglite.__loadTraceCounted = true;
    for (const method of ["query", "exec"]) {
      const original = pglite[method].bind(pglite);
      pglite[method] = (sql, ...rest) => {
        const head = String(sql).replace(/\s+/g, " ").trim().slice(0, 50);
        statements.set(head, (statements.get(head) ?? 0) + 1);
        return original(sql, ...rest);
      };
    }
  };
  let lastCache = { loads: 0, reloads: 0 };
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const cache = globalThis.__pipelinePageCacheCounters ?? { loads: 0, reloads: 0, reloadsWaiting: 0 };
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const line = {
      at: new Date().toISOString(),
      loopDelayMaxMs: Math.round(loopDelay.max / 1e6),
      loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
      gcCount: gc.count,
      gcMs: Math.round(gc.ms),
      gcLongestMs: Math.round(gc.longest),
      cacheLoads: cache.loads - lastCache.loads,
      cacheReloads: cache.reloads - lastCache.reloads,
      reloadsWaiting: cache.reloadsWaiting,
      answered,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      statements: [...statements.values()].reduce((total, count) => total + count, 0),
      mostStatements: [...statements].sort((a, b) => b[1] - a[1]).slice(0, 3),
    };
    statements = new Map();
    countStatements();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    loopDelay.reset();
    gc = { count: 0, ms: 0, longest: 0 };
    lastCache = { loads: cache.loads, reloads: cache.reloads };
    answered = 0;
  }, 1000).unref();
}
