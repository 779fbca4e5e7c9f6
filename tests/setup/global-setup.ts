import type { TestProject } from "vitest/node";
import { dropTemplate, prepareTemplate } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { pgliteDump?: string; postgresTemplate?: string };
  }
}

export default async function setup(project: TestProject) {
  const prepared = await prepareTemplate();
  project.provide("testDatabase", prepared);
  return async () => dropTemplate(prepared);
}
