// The words of the demo organisation: people, companies, what is being sold,
// what reps and buyers do. Kept apart from the generator so the story logic
// reads without lists of names in the way. Story people are fixed here (not
// drawn from the PRNG) so their emails are the same for every seed.

export const EMAIL_DOMAIN = "demo.pipeline.test";

/** "a, b, c" → ["a", "b", "c"]: long word lists stay readable in a few lines. */
function list(commaSeparated: string): readonly string[] {
  return commaSeparated.split(",").map((word) => word.trim());
}

export interface Person {
  first: string;
  last: string;
}

export interface TeamRoster {
  name: string;
  manager: Person;
  /** Reps in a fixed order; the generator gives story roles by position. */
  reps: Person[];
}

/** The three story teams, in the order the overview lists them (by name). */
export const STORY_TEAMS: readonly TeamRoster[] = [
  {
    name: "Central",
    manager: { first: "Avery", last: "Collins" },
    reps: [
      { first: "Derek", last: "Holloway" },
      { first: "Maya", last: "Chen" },
      { first: "Tom", last: "Becker" },
      { first: "Luis", last: "Ortega" },
      { first: "Hannah", last: "Brooks" },
      { first: "Grace", last: "Kim" },
      { first: "Owen", last: "Murphy" },
      { first: "Fatima", last: "Noor" },
    ],
  },
  {
    name: "East",
    manager: { first: "Jordan", last: "Blake" },
    reps: [
      { first: "Kevin", last: "Walsh" },
      { first: "Sofia", last: "Rossi" },
      { first: "Emily", last: "Carter" },
      { first: "Marcus", last: "Reed" },
      { first: "Raj", last: "Patel" },
      { first: "Chloe", last: "Martin" },
      { first: "Daniel", last: "Park" },
      { first: "Aisha", last: "Bello" },
    ],
  },
  {
    name: "West",
    manager: { first: "Priya", last: "Raman" },
    reps: [
      { first: "Ben", last: "Foster" },
      { first: "Laura", last: "Nguyen" },
      { first: "Ethan", last: "Wright" },
      { first: "Zoe", last: "Adams" },
      { first: "Carlos", last: "Mendes" },
      { first: "Nina", last: "Volkova" },
      { first: "Ryan", last: "Cole" },
      { first: "Jade", last: "Thompson" },
    ],
  },
];

export const ADMIN: Person = { first: "Morgan", last: "Ellis" };

/** Regions for teams beyond the three story teams (large benchmark organisations). */
export const MORE_TEAM_NAMES: readonly string[] = list(
  "Northeast, Southeast, Midwest, Mountain, Pacific, Great Lakes, Gulf Coast, Mid-Atlantic, " +
    "New England, Northwest, Southwest, Plains, Texas, California, Florida, Carolinas, Rockies, " +
    "Ohio Valley, Bay Area, Tri-State",
);

export const FIRST_NAMES: readonly string[] = list(
  "Adam, Alice, Amir, Ana, Andre, Ben, Bianca, Caleb, Carmen, Chris, Dana, David, Elena, Eli, Erin, " +
    "Felix, Gabriel, Hana, Ian, Irene, Isaac, Jack, Jasmine, Jonas, Julia, Kai, Kara, Leo, Lena, Liam, " +
    "Lucy, Mateo, Mei, Mia, Nadia, Nathan, Noah, Olivia, Omar, Paul, Quinn, Rachel, Rosa, Sam, Sara, " +
    "Sean, Tara, Theo, Uma, Victor, Wes, Yara, Yusuf, Zane, Ingrid, Kofi, Lars, Marta, Nikhil, Oscar",
);

export const LAST_NAMES: readonly string[] = list(
  "Abbott, Alvarez, Andersen, Bauer, Bennett, Bishop, Castillo, Chang, Clarke, Dalton, Dubois, " +
    "Ellison, Fischer, Flores, Garner, Gupta, Hale, Hansen, Hughes, Ibrahim, Jensen, Kaur, Keller, " +
    "Larsen, Lopez, Maddox, Meyer, Moreno, Novak, Okafor, Olsen, Palmer, Quinlan, Ramos, Rivera, Sato, " +
    "Schmidt, Shah, Silva, Sullivan, Tanaka, Torres, Vance, Vargas, Walker, Weber, Whitaker, Young, " +
    "Zimmer, Kowalski, Haddad, Lindqvist, Mensah, Nakamura, O'Brien, Petrov, Romero, Stein, Tran, Wolfe",
);

// Company names are "<prefix> <core><suffix>", e.g. "Cedar Ridge Logistics
// Group"; the core word decides the sector.
export const COMPANY_PREFIXES: readonly string[] = list(
  "Northwind, Bluefin, Cedar Ridge, Ironwood, Silver Lake, Redstone, Harbor, Summit, Pinecrest, " +
    "Granite, Copperleaf, Brightwater, Evergreen, Falcon, Keystone, Lakeshore, Meridian, Oakmont, " +
    "Prairie, Riverbend, Sandhill, Stonebridge, Tidewater, Westfield, Aurora, Beacon, Crescent, " +
    "Driftwood, Eastgate, Foxhollow, Golden Gate, Highland, Juniper, Kingsport, Larkspur, Maplewood, " +
    "Northstar, Orchard, Pioneer, Quarry, Rosewood, Saltmarsh, Timberline, Union, Valley Forge, " +
    "Whitecap, Yellowstone, Zephyr, Atlas, Bridgeport, Coastal, Delta, Emerald, Frontier, Greenfield, " +
    "Horizon, Ironbridge, Jetstream, Kestrel, Lighthouse, Mosaic, Nova, Osprey, Polaris, Quicksilver, " +
    "Ridgeline, Sequoia, Trident, Upland, Vantage, Willow Creek, Alder, Blackrock, Canyon, Dunmore, " +
    "Elm Street, Fairview, Glacier, Hawthorne, Inland",
);

export const COMPANY_CORES: ReadonlyArray<readonly [core: string, sector: string]> = [
  ["Logistics", "Transportation & Logistics"],
  ["Freight", "Transportation & Logistics"],
  ["Health", "Healthcare"],
  ["Medical", "Healthcare"],
  ["Foods", "Food & Beverage"],
  ["Brewing", "Food & Beverage"],
  ["Capital", "Financial Services"],
  ["Financial", "Financial Services"],
  ["Bancorp", "Financial Services"],
  ["Insurance", "Insurance"],
  ["Mutual", "Insurance"],
  ["Energy", "Energy & Utilities"],
  ["Power", "Energy & Utilities"],
  ["Retail", "Retail"],
  ["Outfitters", "Retail"],
  ["Software", "Software"],
  ["Analytics", "Software"],
  ["Manufacturing", "Manufacturing"],
  ["Industries", "Manufacturing"],
  ["Robotics", "Manufacturing"],
  ["Construction", "Construction"],
  ["Builders", "Construction"],
  ["Biotech", "Life Sciences"],
  ["Pharma", "Life Sciences"],
  ["Media", "Media"],
  ["Studios", "Media"],
  ["University", "Education"],
  ["Learning", "Education"],
  ["Hotels", "Hospitality"],
  ["Resorts", "Hospitality"],
  ["Telecom", "Telecommunications"],
  ["Networks", "Telecommunications"],
  ["Realty", "Real Estate"],
  ["Properties", "Real Estate"],
  ["Foods Co-op", "Food & Beverage"],
  ["Aerospace", "Aerospace & Defense"],
  ["Chemicals", "Chemicals"],
  ["Automotive", "Automotive"],
  ["Farms", "Agriculture"],
  ["Water", "Energy & Utilities"],
];

export const COMPANY_SUFFIXES = [
  "",
  " Group",
  " Inc.",
  " Partners",
  " Holdings",
  " Co.",
  " Systems",
  " International",
] as const;

/** What is being sold, as it appears after the account in a deal's name. */
export const OFFERINGS = [
  "Platform subscription",
  "Analytics add-on",
  "Enterprise rollout",
  "Pilot",
  "Data integration",
  "Security package",
  "Multi-year agreement",
  "Support upgrade",
  "New business",
  "Regional expansion",
  "Reporting suite",
  "Workflow automation",
] as const;

export const NEXT_STEPS = [
  "Schedule technical deep-dive",
  "Send revised proposal",
  "Confirm budget with CFO",
  "Book demo for operations team",
  "Agree mutual action plan",
  "Security review with IT",
  "Send order form",
  "Legal review of MSA",
  "Reference call with a customer",
  "Pricing call with procurement",
] as const;

export const LOST_REASONS = [
  "Chose a competitor",
  "No budget this year",
  "No decision — project shelved",
  "Went silent",
  "Price",
  "Built it in-house",
  "Timing — revisit next year",
] as const;

export const RETURN_TO_PROSPECT_REASONS = [
  "Not ready to buy — back to prospecting",
  "Champion left the company — back to prospecting",
] as const;

type ActivityTypeName = "call" | "email" | "meeting" | "note" | "task" | "other";

/** Seller-side effort: our own calls, emails, meetings we arrange, prep work. */
export const SELLER_ACTIVITY_MIX: ReadonlyArray<readonly [ActivityTypeName, number]> = [
  ["email", 45],
  ["call", 30],
  ["meeting", 12],
  ["task", 8],
  ["note", 5],
];

/** Buyer-side effort: replies, inbound calls, meetings held with them, documents returned. */
export const BUYER_ACTIVITY_MIX: ReadonlyArray<readonly [ActivityTypeName, number]> = [
  ["email", 50],
  ["meeting", 30],
  ["call", 15],
  ["other", 5],
];

export const ACTIVITY_SUMMARIES: Record<"seller" | "buyer", Record<ActivityTypeName, readonly string[]>> = {
  seller: {
    email: [
      "Sent follow-up with pricing",
      "Shared a customer case study",
      "Sent recap of the demo",
      "Checked in on next steps",
      "Sent mutual action plan",
      "Sent proposal draft",
    ],
    call: ["Discovery call", "Left a voicemail", "Call with our champion", "Pricing discussion", "Check-in call"],
    meeting: ["Product demo", "Solution workshop", "Executive briefing"],
    task: ["Prepared ROI model", "Updated mutual action plan", "Drafted order form"],
    note: ["Internal deal review", "Noted a competitor in play"],
    other: ["Sent a gift for the kickoff"],
  },
  buyer: {
    email: [
      "Buyer replied with questions",
      "Buyer sent their requirements",
      "Buyer confirmed the next meeting",
      "Procurement asked for security documents",
      "Buyer returned contract redlines",
    ],
    meeting: [
      "Meeting held with the buying committee",
      "Demo attended by five stakeholders",
      "Technical deep-dive held",
      "On-site visit with the operations team",
    ],
    call: ["Inbound call from our champion", "Buyer called about timeline", "CFO called with pricing questions"],
    other: ["Signed NDA returned", "Security questionnaire returned", "Requirements document returned"],
    note: ["Buyer shared an internal memo"],
    task: ["Buyer completed the trial checklist"],
  },
};
