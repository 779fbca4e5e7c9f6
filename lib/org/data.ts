// The organisation's context every screen, action and review starts from:
// name, currency, and the "as of" date (a fixed date after importing a
// historical export, otherwise now).
//
// Its own module so that settings (which previews reviews) and reviews (which
// need the as-of date) both read it without importing each other.
import "server-only";
import { type DbClient, db } from "@/lib/db";

export interface OrgContext {
  name: string;
  currency: string;
  /** The instant the data is read as of. */
  asOf: Date;
  /** True when the organisation fixed the date (historical data), false for "now". */
  asOfFixed: boolean;
  demoData: boolean;
  rules: unknown;
}

export async function getOrgContext(now: Date = new Date(), client: DbClient = db): Promise<OrgContext> {
  const settings = await client.orgSettings.findUnique({ where: { id: 1 } });
  return {
    name: settings?.name ?? "My organisation",
    currency: settings?.currency ?? "USD",
    asOf: settings?.asOf ?? now,
    asOfFixed: Boolean(settings?.asOf),
    demoData: settings?.demoData ?? false,
    rules: settings?.rules ?? {},
  };
}
