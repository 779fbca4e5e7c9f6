// STYLE.md: two feature folders under lib/ must not import each other — a
// circle (settings ↔ reviews, deals ↔ settings) means neither can be read,
// tested or changed alone. What both need goes into a module neither imports
// back (e.g. lib/org/data.ts for the organisation's as-of date).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const libDir = path.resolve(import.meta.dirname);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** "reviews" for lib/reviews/run.ts; null for a file directly in lib/. */
function featureOf(file: string): string | null {
  const parts = path.relative(libDir, file).split(path.sep);
  return parts.length > 1 ? (parts[0] ?? null) : null;
}

/** Feature → the other features its files import (through "@/lib/…" or a relative path). */
function featureImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(libDir)) {
    const from = featureOf(file);
    if (!from) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const specifier = match[1] ?? "";
      let target: string | null = null;
      if (specifier.startsWith("@/lib/")) target = featureOf(path.join(libDir, specifier.slice("@/lib/".length)));
      else if (specifier.startsWith(".")) target = featureOf(path.resolve(path.dirname(file), specifier));
      if (!target || target === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(target);
    }
  }
  return graph;
}

describe("feature folders under lib/", () => {
  it("finds the imports it checks (settings reads the reviews engine for its preview)", () => {
    expect(featureImports().get("settings")?.has("reviews")).toBe(true);
  });

  it("never import each other both ways", () => {
    const graph = featureImports();
    const twoWay: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (from < to && graph.get(to)?.has(from)) twoWay.push(`lib/${from} ↔ lib/${to}`);
      }
    }
    expect(twoWay).toEqual([]);
  });
});
