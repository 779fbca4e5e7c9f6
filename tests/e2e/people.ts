// The demo people the browser tests sign in as, and where each one's session
// is kept between the sign-in setup (auth.setup.ts) and the specs.
import path from "node:path";
import { emailOf } from "../../prisma/seed/stories";
import { ADMIN, type Person, STORY_TEAMS } from "../../prisma/seed/vocabulary";

const STATE_DIR = path.join(process.env.E2E_OUTPUT_DIR || "test-results/e2e", ".auth");

function signedIn(person: Person | undefined, key: string) {
  if (!person) throw new Error(`The demo roster has no person for ${key}`);
  const name = `${person.first} ${person.last}`;
  return { name, email: emailOf(person), storageState: path.join(STATE_DIR, `${key}.json`) };
}

const [central, east] = STORY_TEAMS;

export const SIGNED_IN = {
  admin: signedIn(ADMIN, "admin"),
  /** Central's manager: the overview, deal, meeting and settings specs act as them. */
  centralManager: signedIn(central?.manager, "central-manager"),
  /** DEMO_STORIES.stuckInStageDeals owner, a Central rep: sees only their own deals. */
  centralRep: signedIn(central?.reps[1], "central-rep"),
  /** East's manager: must not see Central. */
  eastManager: signedIn(east?.manager, "east-manager"),
} as const;

export type SignedInAs = keyof typeof SIGNED_IN;
