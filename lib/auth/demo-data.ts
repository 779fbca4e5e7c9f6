// Whether the database holds nothing but the demo organisation: only then may
// the sign-in page list the demo people and their shared password. The flag
// the demo loader sets (OrgSettings.demoData) is not enough on its own: a real
// organisation may import its deals or create its first admin on top of it,
// and from then on the shared password must not be advertised.
import "server-only";
import { db } from "@/lib/db";
import { DEMO_SOURCE } from "@/prisma/seed/stories";
import { EMAIL_DOMAIN } from "@/prisma/seed/vocabulary";

/** Deals created in the app itself carry this source (they belong to whoever uses the demo). */
const APP_SOURCE = "manual";

export async function holdsOnlyTheDemo(): Promise<boolean> {
  const settings = await db.orgSettings.findUnique({ where: { id: 1 }, select: { demoData: true } });
  if (!settings?.demoData) return false;
  const [otherPerson, otherDeal] = await Promise.all([
    db.user.findFirst({ where: { NOT: { email: { endsWith: `@${EMAIL_DOMAIN}` } } }, select: { id: true } }),
    db.opportunity.findFirst({ where: { source: { notIn: [DEMO_SOURCE, APP_SOURCE] } }, select: { id: true } }),
  ]);
  return !otherPerson && !otherDeal;
}
