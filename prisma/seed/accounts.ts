// The companies the organisation sells to. Names are "<prefix> <core><suffix>"
// combinations in a seeded order (unique, realistic enough to read on a
// screen); the core word decides the sector and the name gives a domain under
// the reserved .example TLD so nothing points at a real company.
import { instantOn } from "./calendar";
import type { Random } from "./random";
import type { AccountRow } from "./rows";
import { COMPANY_CORES, COMPANY_PREFIXES, COMPANY_SUFFIXES } from "./vocabulary";

export interface NamedAccount {
  name: string;
  sector: string;
}

/** How many distinct generated company names exist. */
export const ACCOUNT_NAME_CAPACITY = COMPANY_PREFIXES.length * COMPANY_CORES.length * COMPANY_SUFFIXES.length;

/**
 * The story accounts first (fixed names, ids 1…n), then `count` generated
 * ones. Account ids are assigned here so deals can reference them in bulk.
 */
export function createAccounts(
  rng: Random,
  storyAccounts: NamedAccount[],
  count: number,
  todayDay: number,
): AccountRow[] {
  const createdAt = instantOn(todayDay - 6 * 365, 15);
  const rows: AccountRow[] = [];
  const taken = new Set<string>();
  for (const account of storyAccounts) {
    rows.push({
      id: rows.length + 1,
      name: account.name,
      domain: domainOf(account.name),
      sector: account.sector,
      createdAt,
    });
    taken.add(account.name);
  }
  const wanted = Math.min(count, ACCOUNT_NAME_CAPACITY - storyAccounts.length);
  const stride = 7919; // prime larger than any factor of the capacity: visits every combination once
  let k = rng.int(0, ACCOUNT_NAME_CAPACITY - 1);
  while (rows.length < storyAccounts.length + wanted) {
    const combination = (k * stride) % ACCOUNT_NAME_CAPACITY;
    k++;
    const prefix = COMPANY_PREFIXES[combination % COMPANY_PREFIXES.length] as string;
    const rest = Math.floor(combination / COMPANY_PREFIXES.length);
    const [core, sector] = COMPANY_CORES[rest % COMPANY_CORES.length] as readonly [string, string];
    const suffix = COMPANY_SUFFIXES[Math.floor(rest / COMPANY_CORES.length)] as string;
    const name = `${prefix} ${core}${suffix}`;
    if (taken.has(name)) continue;
    taken.add(name);
    rows.push({ id: rows.length + 1, name, domain: domainOf(name), sector, createdAt });
  }
  return rows;
}

function domainOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${slug}.example`;
}
