// The CRM exports we recognise by their headers — Salesforce (API names and
// report labels, and the opportunity-history export), HubSpot deal exports
// (with their `Date entered "<stage>"` columns), Pipedrive deal and activity
// exports — and the generic mapping, whose aliases only suggest columns.
// Headers match case- and space-insensitively.
import type { ImportKind } from "./fields";

export const PRESET_NAMES = ["salesforce", "hubspot", "pipedrive", "generic"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESET_LABELS: Record<PresetName, string> = {
  salesforce: "Salesforce",
  hubspot: "HubSpot",
  pipedrive: "Pipedrive",
  generic: "Other (map the columns yourself)",
};

/** "Probability (%)" → "probability(%)"; "Deal - Title" → "deal-title"; BOM and quotes dropped. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[\s_]+/g, "");
}

type Aliases = Record<string, string[]>;

/** Per field, the headers that carry it, best first; a row uses the first non-empty one. */
const SALESFORCE: Record<ImportKind, Aliases> = {
  deals: {
    externalId: ["id", "opportunityid", "opportunity.id", "18-digitopportunityid"],
    name: ["name", "opportunityname"],
    account: ["account.name", "accountname", "accountid"],
    owner: ["owner.name", "ownername", "opportunityowner", "owner.email", "ownerid"],
    ownerEmail: ["owner.email", "owneremail", "opportunityowneremail"],
    stage: ["stagename", "stage"],
    amount: ["amount", "amount(converted)"],
    currency: ["currencyisocode", "opportunitycurrency", "amountcurrency"],
    openedAt: ["createddate"],
    expectedCloseDate: ["closedate"],
    lastActivityAt: ["lastactivitydate", "lastactivity"],
    nextStep: ["nextstep"],
    lostReason: ["lossreason", "lossreasonc", "lostreason", "closedlostreason"],
    probability: ["probability", "probability(%)"],
    isWon: ["iswon", "won"],
    isClosed: ["isclosed", "closed"],
  },
  activities: {
    externalId: ["id", "activityid", "taskid", "eventid"],
    dealId: ["whatid", "opportunityid", "relatedtoid", "opportunity.id"],
    at: ["completeddatetime", "activitydate", "activitydatetime", "startdatetime", "date", "createddate"],
    type: ["type", "tasksubtype", "eventsubtype", "activitytype"],
    side: ["calltype", "direction", "side"],
    summary: ["subject", "description", "comments"],
    done: ["status", "iscompleted"],
  },
  "stage-history": {
    dealId: ["opportunityid", "opportunity.id", "opportunityid18"],
    at: ["createddate", "editdate", "lastmodifieddate", "lastmodified", "stagechangedate"],
    stage: ["stagename", "tostage", "stage"],
    fromStage: ["fromstage", "prevstagename"],
    closeDate: ["closedate"],
    prevCloseDate: ["prevclosedate"],
    amount: ["amount"],
    prevAmount: ["prevamount"],
  },
  people: {
    person: ["name", "fullname", "username", "email"],
    email: ["email"],
    team: ["team", "userrole.name", "role", "department", "division"],
    manager: ["manager.name", "managername", "manager"],
    role: ["profile.name", "profile"],
    startDate: ["startdate", "hiredate", "startedon", "started"],
  },
};

const HUBSPOT: Record<ImportKind, Aliases> = {
  deals: {
    externalId: ["recordid", "dealid", "hsobjectid", "recordid-deal"],
    name: ["dealname"],
    account: ["associatedcompany", "associatedcompanyname", "companyname", "company"],
    owner: ["dealowner", "owner", "hubspotowner"],
    ownerEmail: ["dealowneremail", "owneremail"],
    stage: ["dealstage"],
    amount: ["amount", "amountincompanycurrency"],
    currency: ["currency", "dealcurrencycode"],
    openedAt: ["createdate", "createddate"],
    expectedCloseDate: ["closedate"],
    // HubSpot's documented "Last Activity Date" (internal name notes_last_updated).
    lastActivityAt: ["lastactivitydate", "noteslastupdated"],
    nextStep: ["nextstep"],
    lostReason: ["closedlostreason", "lostreason"],
    probability: ["dealprobability", "probability"],
  },
  activities: {
    externalId: ["activityid", "recordid", "engagementid"],
    dealId: ["associateddealids", "associateddealid", "associateddeal", "dealid", "dealrecordid"],
    at: ["activitydate", "timestamp", "createdate"],
    type: ["activitytype", "engagementtype", "type"],
    side: ["emaildirection", "calldirection", "direction"],
    summary: ["subject", "title", "bodypreview", "notes"],
    done: ["taskstatus", "status"],
  },
  "stage-history": {
    dealId: ["recordid", "dealid", "hsobjectid"],
    at: ["dateentered", "date", "timestamp"],
    stage: ["dealstage", "stage"],
    fromStage: ["previousstage", "fromstage"],
  },
  people: {
    person: ["name", "fullname", "email"],
    email: ["email"],
    team: ["team", "primaryteam", "teams"],
    manager: ["manager", "teammanager"],
    role: ["role"],
    startDate: ["startdate", "hiredate", "startedon", "started"],
  },
};

const PIPEDRIVE: Record<ImportKind, Aliases> = {
  deals: {
    externalId: ["deal-id", "id"],
    name: ["deal-title", "title"],
    account: ["deal-organization", "organization", "deal-organisation", "organisation", "deal-organizationname"],
    owner: ["deal-owner", "owner", "deal-ownername"],
    ownerEmail: ["deal-owneremail", "owneremail"],
    stage: ["deal-stage", "stage"],
    status: ["deal-status", "status"],
    amount: ["deal-value", "value"],
    currency: ["deal-currency", "currency", "deal-currencyofvalue", "currencyofvalue"],
    openedAt: ["deal-dealcreated", "dealcreated", "deal-addtime", "addtime", "deal-created"],
    expectedCloseDate: ["deal-expectedclosedate", "expectedclosedate"],
    closedAt: ["deal-closetime", "closetime", "deal-wontime", "wontime", "deal-losttime", "losttime"],
    lastActivityAt: ["deal-lastactivitydate", "lastactivitydate"],
    lostReason: ["deal-lostreason", "lostreason"],
    probability: ["deal-probability", "probability"],
  },
  activities: {
    externalId: ["activity-id"],
    dealId: ["deal-id", "activity-dealid", "dealid"],
    at: ["activity-markedasdonetime", "markedasdonetime", "activity-duedate", "duedate", "activity-addtime"],
    type: ["activity-type", "type"],
    side: ["activity-direction", "direction"],
    summary: ["activity-subject", "subject", "activity-note", "note"],
    done: ["activity-done", "done"],
  },
  "stage-history": {
    dealId: ["deal-id", "dealid"],
    at: ["deal-stagechangetime", "stagechangetime", "changetime", "date"],
    stage: ["deal-stage", "stage", "newvalue"],
    fromStage: ["oldvalue", "previousstage"],
  },
  people: {
    person: ["user-name", "name", "email"],
    email: ["user-email", "email"],
    team: ["team", "user-team"],
    manager: ["manager", "teammanager"],
    role: ["role"],
    startDate: ["startdate", "hiredate", "startedon", "started"],
  },
};

/** Generic: only suggestions for the mapping form; the person confirms or changes them. */
const GENERIC: Record<ImportKind, Aliases> = {
  deals: {
    externalId: ["dealid", "id", "externalid", "opportunityid", "recordid", "deal-id", "dealnumber", "ref"],
    name: ["dealname", "name", "title", "opportunityname", "deal"],
    account: ["account", "accountname", "company", "companyname", "organization", "organisation", "customer", "client"],
    owner: ["owner", "dealowner", "rep", "salesrep", "assignedto", "accountexecutive", "seller", "ownername"],
    ownerEmail: ["owneremail", "repemail"],
    stage: ["stage", "dealstage", "stagename", "pipelinestage"],
    status: ["status", "dealstatus", "state", "outcome"],
    amount: ["amount", "value", "dealvalue", "acv", "arr", "tcv", "dealamount"],
    currency: ["currency", "currencycode"],
    openedAt: [
      "opened",
      "openedat",
      "openeddate",
      "opendate",
      "created",
      "createddate",
      "createdate",
      "createdat",
      "dateopened",
    ],
    expectedCloseDate: ["expectedclose", "expectedclosedate", "closedate", "forecastclosedate", "targetclosedate"],
    closedAt: ["closed", "closedat", "closeddate", "dateclosed", "actualclosedate", "wondate", "lostdate"],
    lastActivityAt: ["lastactivityat", "lastactivitydate", "lastactivity"],
    nextStep: ["nextstep", "nextsteps", "nextaction"],
    lostReason: ["lostreason", "lossreason", "reasonlost"],
    probability: ["probability", "probability(%)", "winprobability"],
  },
  activities: {
    externalId: ["activityid", "id", "externalid"],
    dealId: ["dealid", "deal", "opportunityid", "deal-id"],
    at: ["date", "at", "when", "activitydate", "timestamp", "datetime", "occurredat"],
    type: ["type", "activitytype", "kind", "channel"],
    side: ["side", "direction", "by", "from"],
    summary: ["summary", "subject", "description", "notes", "note"],
    done: ["done", "status", "completed"],
  },
  "stage-history": {
    dealId: ["dealid", "deal", "opportunityid", "deal-id"],
    at: ["date", "at", "changedat", "changedate", "enteredat", "dateentered", "when", "timestamp"],
    stage: ["stage", "tostage", "newstage", "enteredstage", "newvalue"],
    fromStage: ["fromstage", "previousstage", "oldstage", "oldvalue"],
    closeDate: ["closedate", "expectedclosedate"],
    prevCloseDate: ["prevclosedate", "previousclosedate", "oldclosedate"],
    amount: ["amount", "value"],
    prevAmount: ["prevamount", "previousamount", "oldamount"],
  },
  people: {
    person: ["person", "name", "owner", "rep", "fullname", "user", "email"],
    email: ["email", "emailaddress"],
    team: ["team", "teamname", "group", "region", "squad"],
    manager: ["manager", "teammanager", "reportsto", "managername"],
    role: ["role"],
    startDate: ["startdate", "start", "started", "startedon", "hiredate", "joined"],
  },
};

const ALIASES: Record<PresetName, Record<ImportKind, Aliases>> = {
  salesforce: SALESFORCE,
  hubspot: HUBSPOT,
  pipedrive: PIPEDRIVE,
  generic: GENERIC,
};

/** Where each field is read from: header names in the file, first non-empty cell wins. */
export type ColumnMapping = Record<string, string[]>;

/** The preset's columns for the headers actually present. */
export function presetColumns(preset: PresetName, kind: ImportKind, headers: readonly string[]): ColumnMapping {
  const byNormal = new Map<string, string>();
  for (const header of headers) {
    const normal = normalizeHeader(header);
    if (!byNormal.has(normal)) byNormal.set(normal, header);
  }
  const columns: ColumnMapping = {};
  for (const [field, aliases] of Object.entries(ALIASES[preset][kind])) {
    const found = aliases.map((alias) => byNormal.get(alias)).filter((header): header is string => Boolean(header));
    // Generic suggestions take one column: the person sees and confirms it.
    const unique = [...new Set(found)];
    if (unique.length) columns[field] = preset === "generic" ? unique.slice(0, 1) : unique;
  }
  // Salesforce: the email column is its own field, not a fallback owner name,
  // when a name column exists.
  if (kind === "deals" && columns.owner && columns.owner.length > 1) {
    const emailHeader = columns.ownerEmail?.[0];
    const names = columns.owner.filter((header) => header !== emailHeader);
    if (names.length) columns.owner = names;
  }
  return columns;
}

/** HubSpot's `Date entered "Qualified to buy (Sales Pipeline)"` columns: the stage each one records. */
export function stageEntryColumns(headers: readonly string[]): { header: string; stage: string }[] {
  const columns: { header: string; stage: string }[] = [];
  for (const header of headers) {
    const match = /^\s*date\s+entered\s*["“”'](.+?)["“”']\s*$/i.exec(header.replace(/^\uFEFF/, ""));
    if (match?.[1]) columns.push({ header, stage: match[1].trim() });
  }
  return columns;
}

/** A HubSpot stage label may carry its pipeline: "Contract sent (Sales Pipeline)". */
export function withoutPipeline(stage: string): string {
  return stage.replace(/\s*\([^)]*\)\s*$/, "").trim();
}

interface Detection {
  preset: PresetName;
  kind: ImportKind;
  /** Plain words: why we think so, shown in the preview. */
  reason: string;
}

/**
 * Which CRM and which kind of file, from the headers alone — by each CRM's
 * signature columns, never by one column a plain spreadsheet may have too (a
 * `deal_stage` or `stage_name` column alone says nothing about the CRM).
 */
export function detectFile(headers: readonly string[]): Detection {
  const has = new Set(headers.map(normalizeHeader));
  const any = (...names: string[]) => names.some((name) => has.has(name));
  const startsWith = (prefix: string) => [...has].some((header) => header.startsWith(prefix));

  if (
    any("prevclosedate", "prevamount") ||
    (any("opportunityid") && any("stagename") && !any("name", "opportunityname"))
  ) {
    return {
      preset: "salesforce",
      kind: "stage-history",
      reason: "Salesforce opportunity-history columns (PrevCloseDate, PrevAmount)",
    };
  }
  if (any("whatid") || (any("activitydate") && any("subject") && any("tasksubtype", "whoid", "calltype"))) {
    return {
      preset: "salesforce",
      kind: "activities",
      reason: "Salesforce task or event columns (WhatId, ActivityDate)",
    };
  }
  const salesforceApi =
    any("stagename", "stage") && any("iswon", "isclosed", "forecastcategory", "forecastcategoryname", "ownerid");
  const salesforceReport = any("opportunityname") && any("opportunityowner", "probability(%)", "fiscalperiod");
  if (salesforceApi || salesforceReport) {
    return {
      preset: "salesforce",
      kind: "deals",
      reason: "Salesforce opportunity columns (StageName / Opportunity Name)",
    };
  }
  if (
    (any("dealstage") && any("recordid", "hsobjectid", "hubspotowner", "hubspotownerid", "recordid-deal")) ||
    stageEntryColumns(headers).length > 0
  ) {
    return { preset: "hubspot", kind: "deals", reason: "HubSpot deal columns (Deal Stage, Date entered …)" };
  }
  if (
    any("associateddealids", "associateddealid", "engagementid") ||
    (any("activitytype") && any("activitydate") && any("recordid"))
  ) {
    return {
      preset: "hubspot",
      kind: "activities",
      reason: "HubSpot activity columns (Associated Deal IDs, Activity date)",
    };
  }
  if (startsWith("activity-")) {
    return { preset: "pipedrive", kind: "activities", reason: "Pipedrive activity export columns (Activity - …)" };
  }
  if (startsWith("deal-") || (any("title") && any("value") && any("organization", "organisation") && any("stage"))) {
    return { preset: "pipedrive", kind: "deals", reason: "Pipedrive deal export columns (Deal - Title, Deal - Value)" };
  }
  return {
    preset: "generic",
    kind: guessGenericKind(has),
    reason: "no known CRM's headers, so check the column mapping",
  };
}

function guessGenericKind(has: Set<string>): ImportKind {
  const any = (...names: string[]) => names.some((name) => has.has(name));
  if (any("side", "direction") || (any("type", "activitytype") && any("summary", "subject"))) return "activities";
  if (any("fromstage", "tostage", "previousstage", "changedat", "enteredat")) return "stage-history";
  if (any("team", "manager") && !any("stage", "dealstage", "amount")) return "people";
  return "deals";
}

/** Where a preset's deals come from, for upserts on (source, external id). */
export function presetSource(preset: PresetName): string | null {
  return preset === "generic" ? null : preset;
}
