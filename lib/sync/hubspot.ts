// HubSpot, read through its documented CRM v3 API with a private app's
// access token (Authorization: Bearer). What is read, and why that way:
// - owners and teams: GET /crm/v3/owners (active and archived, so deals of
//   people who left keep their owner);
// - stages: GET /crm/v3/pipelines/deals — every pipeline's stages in
//   displayOrder with metadata.probability and metadata.isClosed;
// - deals changed since the cursor: POST /crm/v3/objects/deals/search,
//   filtered on hs_lastmodifieddate >= the cursor and sorted by it, 100 a
//   page, paging.next.after. A search stops at 10,000 results, so before the
//   after token reaches that the filter is re-anchored on the last page's
//   hs_lastmodifieddate (GTE: the boundary deal is read twice, which the
//   import's upsert makes harmless);
// - history: POST /crm/v3/objects/deals/batch/read with propertiesWithHistory
//   for dealstage, closedate and amount; when HubSpot refuses that read, the
//   hs_date_entered_<stageId> properties the search returned give the stage
//   entries (as the CSV export's "Date entered" columns do);
// - activities: the deals' calls, emails, meetings, notes and tasks through
//   the v4 associations batch read, then each type's batch read;
// - deals deleted in HubSpot: GET /crm/v3/objects/deals?archived=true.
// Pace: private apps may make 100 requests per 10 seconds (more on higher
// tiers) and the search endpoints 5 a second; requests are spaced 250 ms
// apart, and a 429 is waited out as its Retry-After says (http.ts).
import type { ActivitySide, ActivityType } from "@/lib/generated/prisma/enums";
import { createHttpClient, type HttpOptions } from "./http";
import { followPages, readAllPages } from "./paging";
import type {
  ActivityRecord,
  CrmPage,
  CrmReader,
  CrmSetup,
  CrmStage,
  DealRecord,
  HistoryRecord,
  OwnerRecord,
} from "./records";
import { summaryText } from "./records";

export const HUBSPOT_DEFAULT_BASE = "https://api.hubapi.com";
const PAGE_SIZE = 100;
/** A search returns at most 10,000 results; re-anchor before the after token gets there. */
const SEARCH_RESULT_LIMIT = 10_000;

export interface HubSpotCursor {
  /** hs_lastmodifieddate (ms) the current search starts at; null: every deal. */
  since: number | null;
  /** Paging token inside the current search. */
  after: string | null;
  /** Deals deleted at or before this instant (ms) are already closed here. */
  deletedSince: number | null;
}

interface Paged<T> {
  results: T[];
  paging?: { next?: { after?: string } };
}

interface HubSpotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  propertiesWithHistory?: Record<string, { value: string | null; timestamp: string }[]>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
}

interface HubSpotOwner {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  archived?: boolean;
  teams?: { id: string; name: string; primary?: boolean }[];
}

interface HubSpotPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived?: boolean;
  stages: {
    id: string;
    label: string;
    displayOrder: number;
    archived?: boolean;
    metadata?: { isClosed?: string | boolean; probability?: string | number };
  }[];
}

const DEAL_PROPERTIES = [
  "dealname",
  "dealstage",
  "pipeline",
  "amount",
  "deal_currency_code",
  "closedate",
  "createdate",
  "hubspot_owner_id",
  "hs_lastmodifieddate",
  "hs_next_step",
  "closed_lost_reason",
  "hs_deal_stage_probability",
];

const HISTORY_PROPERTIES = ["dealstage", "closedate", "amount"];

const ENGAGEMENTS = {
  calls: ["hs_timestamp", "hs_call_direction", "hs_call_title", "hs_call_body", "hs_call_status"],
  emails: ["hs_timestamp", "hs_email_direction", "hs_email_subject", "hs_email_status"],
  meetings: ["hs_timestamp", "hs_meeting_start_time", "hs_meeting_outcome", "hs_meeting_title"],
  notes: ["hs_timestamp", "hs_note_body"],
  tasks: ["hs_timestamp", "hs_task_status", "hs_task_subject"],
} as const;
type Engagement = keyof typeof ENGAGEMENTS;

/** A HubSpot date property: ISO text, or milliseconds since 1970 in older payloads. */
export function hubspotDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = /^\d{10,}$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
const chunk = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

export interface HubSpotOptions {
  accessToken: string;
  baseUrl?: string;
  http?: Partial<HttpOptions>;
  now?: () => Date;
}

export function hubspotReader(options: HubSpotOptions): CrmReader {
  const base = (options.baseUrl || HUBSPOT_DEFAULT_BASE).replace(/\/+$/, "");
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    crm: "HubSpot",
    headers: () => ({ authorization: `Bearer ${options.accessToken}` }),
    minIntervalMs: 250,
    ...options.http,
  });
  const url = (path: string, query: Record<string, string | number | boolean | undefined> = {}) => {
    const target = new URL(base + path);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) target.searchParams.set(key, String(value));
    return target.toString();
  };

  let owners = new Map<string, OwnerRecord>();
  let stagesById = new Map<string, CrmStage>();

  /** Every page of a list; null when HubSpot answers 400 or 404 and `optional` says that may be. */
  async function listAll<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    optional = false,
  ): Promise<T[] | null> {
    return readAllPages<T, string>(async (after) => {
      const { status, body } = await http.request<Paged<T>>(
        "GET",
        url(path, { ...query, limit: PAGE_SIZE, after: after ?? undefined }),
        undefined,
        optional ? [400, 404] : [],
      );
      if (status >= 400) return null;
      return { items: body?.results ?? [], next: body?.paging?.next?.after ?? null };
    });
  }

  async function setup(): Promise<CrmSetup> {
    const active = (await listAll<HubSpotOwner>("/crm/v3/owners", {})) ?? [];
    // Owners who left keep their deals: their names come from the archived list.
    const archived = (await listAll<HubSpotOwner>("/crm/v3/owners", { archived: true }, true)) ?? [];
    const pipelines = await http.get<{ results: HubSpotPipeline[] }>(url("/crm/v3/pipelines/deals"));
    owners = new Map();
    for (const owner of [...archived, ...active]) {
      const name = [owner.firstName, owner.lastName].filter(Boolean).join(" ").trim();
      const team = owner.teams?.find((t) => t.primary) ?? owner.teams?.[0];
      owners.set(String(owner.id), {
        name: name || owner.email || `HubSpot owner ${owner.id}`,
        email: owner.email || null,
        team: team?.name ?? null,
      });
    }
    const live = (pipelines.body?.results ?? [])
      .filter((pipeline) => !pipeline.archived)
      .sort((a, b) => a.displayOrder - b.displayOrder);
    const labelCount = new Map<string, number>();
    for (const pipeline of live) {
      for (const stage of pipeline.stages)
        labelCount.set(stage.label.toLowerCase(), (labelCount.get(stage.label.toLowerCase()) ?? 0) + 1);
    }
    stagesById = new Map();
    let order = 0;
    for (const pipeline of live) {
      for (const stage of [...pipeline.stages].sort((a, b) => a.displayOrder - b.displayOrder)) {
        const probability = Math.round(Number(stage.metadata?.probability ?? 0) * 100);
        const isClosed = String(stage.metadata?.isClosed ?? "false") === "true";
        // Two pipelines may both have "Qualified": the pipeline's name tells them apart.
        const name =
          (labelCount.get(stage.label.toLowerCase()) ?? 0) > 1 ? `${stage.label} (${pipeline.label})` : stage.label;
        stagesById.set(stage.id, {
          id: stage.id,
          name,
          order: order++,
          probability: Number.isFinite(probability) ? probability : 0,
          closed: isClosed ? (probability >= 100 ? "won" : "lost") : null,
        });
      }
    }
    return { owners: [...owners.values()], stages: [...stagesById.values()] };
  }

  function stageName(id: string | null | undefined): string | null {
    if (!id) return null;
    return stagesById.get(id)?.name ?? id;
  }

  function ownerOf(id: string | null | undefined): string | null {
    if (!id) return null;
    const owner = owners.get(String(id));
    return owner ? (owner.email ?? owner.name) : `HubSpot owner ${id}`;
  }

  function toDeal(deal: HubSpotObject): DealRecord {
    const p = deal.properties;
    const close = hubspotDate(p.closedate);
    const probability = p.hs_deal_stage_probability ? Math.round(Number(p.hs_deal_stage_probability) * 100) : null;
    return {
      externalId: String(deal.id),
      name: p.dealname ?? null,
      account: null,
      owner: ownerOf(p.hubspot_owner_id),
      stage: stageName(p.dealstage),
      status: null,
      amount: p.amount || null,
      currency: p.deal_currency_code || null,
      openedAt: hubspotDate(p.createdate) ?? hubspotDate(deal.createdAt),
      expectedCloseDay: day(close),
      // A won or lost deal's close date is when it closed: the import takes it from the close date, as for a CSV export.
      closedAt: null,
      nextStep: p.hs_next_step ?? null,
      lostReason: p.closed_lost_reason ?? null,
      probability: probability !== null && Number.isFinite(probability) ? probability : null,
    };
  }

  /** Stage entries from hs_date_entered_<stageId>: the fallback when property history cannot be read. */
  function enteredDates(deal: HubSpotObject): HistoryRecord[] {
    const records: HistoryRecord[] = [];
    for (const [id, stage] of stagesById) {
      const at = hubspotDate(deal.properties[`hs_date_entered_${id}`]);
      if (at) records.push({ dealId: String(deal.id), at, stage: stage.name });
    }
    return records;
  }

  async function history(deals: HubSpotObject[], notes: string[]): Promise<HistoryRecord[]> {
    const { status, body } = await http.request<{ results?: HubSpotObject[] }>(
      "POST",
      url("/crm/v3/objects/deals/batch/read"),
      {
        inputs: deals.map((deal) => ({ id: deal.id })),
        properties: HISTORY_PROPERTIES,
        propertiesWithHistory: HISTORY_PROPERTIES,
      },
      [400, 403, 404],
    );
    if (status >= 300 || !body?.results) {
      notes.push(
        `HubSpot refused the deals' property history (${status}): stage history comes from the “date entered” stage dates instead, and close-date and amount changes are not read.`,
      );
      return deals.flatMap(enteredDates);
    }
    const records: HistoryRecord[] = [];
    const read = new Map(body.results.map((deal) => [String(deal.id), deal]));
    for (const searched of deals) {
      const deal = read.get(String(searched.id));
      const changes = deal?.propertiesWithHistory ?? {};
      if (!changes.dealstage?.length) {
        // No stage history for this deal in the answer: its "date entered" stage dates still tell the moves.
        records.push(...enteredDates(searched));
        continue;
      }
      // Every moment any of the three changed, with the stage the deal was in then.
      const moments = new Map<number, HistoryRecord>();
      const stages = [...(changes.dealstage ?? [])]
        .map((entry) => ({ at: hubspotDate(entry.timestamp), value: entry.value }))
        .filter((entry): entry is { at: Date; value: string | null } => entry.at !== null)
        .sort((a, b) => a.at.getTime() - b.at.getTime());
      const stageAt = (at: number) => {
        let current: string | null = stages[0]?.value ?? null;
        for (const entry of stages) if (entry.at.getTime() <= at) current = entry.value;
        return current;
      };
      const moment = (at: Date) => {
        let record = moments.get(at.getTime());
        if (!record) {
          record = { dealId: String(searched.id), at, stage: stageName(stageAt(at.getTime())) ?? "" };
          moments.set(at.getTime(), record);
        }
        return record;
      };
      for (const entry of stages) moment(entry.at);
      for (const entry of changes.closedate ?? []) {
        const at = hubspotDate(entry.timestamp);
        if (at) moment(at).closeDay = day(hubspotDate(entry.value));
      }
      for (const entry of changes.amount ?? []) {
        const at = hubspotDate(entry.timestamp);
        if (at) moment(at).amount = entry.value || null;
      }
      records.push(...[...moments.values()].filter((record) => record.stage));
    }
    return records;
  }

  async function activities(deals: HubSpotObject[], notes: string[]): Promise<ActivityRecord[]> {
    const records: ActivityRecord[] = [];
    const seen = new Set<string>();
    for (const type of Object.keys(ENGAGEMENTS) as Engagement[]) {
      const dealOf = await associated(deals, type);
      if (!dealOf) {
        notes.push(
          `HubSpot does not answer the deals' ${type} associations here (404): the deals' ${type} were not read.`,
        );
        continue;
      }
      for (const ids of chunk([...dealOf.keys()], 100)) {
        const { status, body: read } = await http.request<{ results?: HubSpotObject[] }>(
          "POST",
          url(`/crm/v3/objects/${type}/batch/read`),
          { inputs: ids.map((id) => ({ id })), properties: ENGAGEMENTS[type] },
          [404],
        );
        if (status === 404) {
          notes.push(
            `HubSpot does not answer ${type} reads here (404): ${ids.length} ${type} of these deals were not read.`,
          );
          continue;
        }
        for (const engagement of read?.results ?? []) {
          const dealId = dealOf.get(String(engagement.id));
          const key = `${type}:${engagement.id}`;
          if (!dealId || seen.has(key)) continue;
          seen.add(key);
          const record = toActivity(type, engagement, dealId, now());
          if (record) records.push(record);
          else notes.push(`HubSpot ${type.slice(0, -1)} ${engagement.id} has no date and was not read.`);
        }
      }
    }
    return records;
  }

  /**
   * Engagement id → the deal it belongs to, from the v4 associations batch
   * read (the v3 one when v4 is not there); null when neither answers. An
   * activity on several deals is kept once, on the first of them (the import
   * attaches an activity to one deal).
   */
  async function associated(deals: HubSpotObject[], type: Engagement): Promise<Map<string, string> | null> {
    const inputs = deals.map((deal) => ({ id: deal.id }));
    const dealOf = new Map<string, string>();
    const v4 = await http.request<{ results?: { from: { id: string }; to?: { toObjectId: string | number }[] }[] }>(
      "POST",
      url(`/crm/v4/associations/deals/${type}/batch/read`),
      { inputs },
      [404],
    );
    if (v4.status !== 404) {
      for (const result of v4.body?.results ?? []) {
        for (const to of result.to ?? []) {
          if (!dealOf.has(String(to.toObjectId))) dealOf.set(String(to.toObjectId), String(result.from.id));
        }
      }
      return dealOf;
    }
    const v3 = await http.request<{ results?: { from: { id: string }; to?: { id: string | number }[] }[] }>(
      "POST",
      url(`/crm/v3/associations/deals/${type}/batch/read`),
      { inputs },
      [404],
    );
    if (v3.status === 404) return null;
    for (const result of v3.body?.results ?? []) {
      for (const to of result.to ?? [])
        if (!dealOf.has(String(to.id))) dealOf.set(String(to.id), String(result.from.id));
    }
    return dealOf;
  }

  async function* pages(cursorValue: unknown): AsyncGenerator<CrmPage> {
    const start = (cursorValue ?? {}) as Partial<HubSpotCursor>;
    let since = start.since ?? null;
    let after = start.after ?? null;
    const deletedSince = start.deletedSince ?? null;
    let lastModified = since;
    const enteredProperties = [...stagesById.keys()].map((id) => `hs_date_entered_${id}`);
    for (;;) {
      const { body } = await http.post<Paged<HubSpotObject> & { total?: number }>(url("/crm/v3/objects/deals/search"), {
        filterGroups:
          since === null
            ? []
            : [{ filters: [{ propertyName: "hs_lastmodifieddate", operator: "GTE", value: String(since) }] }],
        sorts: [{ propertyName: "hs_lastmodifieddate", direction: "ASCENDING" }],
        properties: [...DEAL_PROPERTIES, ...enteredProperties],
        limit: PAGE_SIZE,
        ...(after ? { after } : {}),
      });
      const found = body?.results ?? [];
      const notes: string[] = [];
      for (const deal of found) {
        const modified = hubspotDate(deal.properties.hs_lastmodifieddate ?? deal.updatedAt)?.getTime();
        if (modified !== undefined && (lastModified === null || modified > lastModified)) lastModified = modified;
      }
      const next = body?.paging?.next?.after ?? null;
      // Near the 10,000-result limit a new search starts at the latest modification read — unless every deal
      // read so far shares that instant (no progress), when paging on is the only way forward.
      const nearLimit = next !== null && /^\d+$/.test(next) && Number(next) + PAGE_SIZE > SEARCH_RESULT_LIMIT;
      const cursor: HubSpotCursor =
        next && !(nearLimit && lastModified !== since)
          ? { since, after: next, deletedSince }
          : { since: lastModified, after: null, deletedSince };
      if (found.length) {
        yield {
          deals: found.map(toDeal),
          history: await history(found, notes),
          activities: await activities(found, notes),
          cursor,
          notes,
        };
      } else {
        yield { deals: [], history: [], activities: [], cursor, notes };
      }
      if (!next) break;
      since = cursor.since;
      after = cursor.after;
    }

    // Deals deleted in HubSpot since the last run: closed here, never deleted.
    const finalSince = lastModified;
    let newestDeletion = deletedSince;
    /** The status HubSpot refused the deleted-deals list with, if it did. */
    let refusedDeleted: number | null = null;
    const deletedPages = followPages<HubSpotObject, string>(async (after) => {
      const { status, body } = await http.request<Paged<HubSpotObject>>(
        "GET",
        url("/crm/v3/objects/deals", {
          archived: true,
          limit: PAGE_SIZE,
          after: after ?? undefined,
          properties: "dealname,dealstage,hubspot_owner_id,amount,createdate,closedate",
        }),
        undefined,
        [400, 404],
      );
      if (status >= 400) {
        refusedDeleted = status;
        return null;
      }
      return { items: body?.results ?? [], next: body?.paging?.next?.after ?? null };
    });
    for await (const page of deletedPages) {
      const deleted: DealRecord[] = [];
      for (const deal of page.items) {
        const at = hubspotDate(deal.archivedAt) ?? hubspotDate(deal.updatedAt);
        if (!at || (deletedSince !== null && at.getTime() <= deletedSince)) continue;
        if (newestDeletion === null || at.getTime() > newestDeletion) newestDeletion = at.getTime();
        deleted.push({
          ...toDeal(deal),
          status: "lost",
          closedAt: at,
          lostReason: "Deleted in HubSpot",
        });
      }
      yield {
        deals: deleted,
        history: [],
        activities: [],
        cursor: { since: finalSince, after: null, deletedSince: page.next ? deletedSince : newestDeletion },
        notes: [],
        deletedOnly: true,
      };
    }
    if (refusedDeleted !== null) {
      yield {
        deals: [],
        history: [],
        activities: [],
        cursor: { since: finalSince, after: null, deletedSince },
        notes: [
          `HubSpot does not list deleted deals here (${refusedDeleted}): deals deleted in HubSpot were not looked for.`,
        ],
        deletedOnly: true,
      };
    }
  }

  async function testConnection(): Promise<string> {
    const { body } = await http.get<Paged<HubSpotObject>>(
      url("/crm/v3/objects/deals", { limit: 1, properties: "dealname" }),
    );
    const deal = body?.results?.[0];
    return deal
      ? `Connected to HubSpot: read the deal “${deal.properties.dealname ?? deal.id}”.`
      : "Connected to HubSpot: it has no deals yet.";
  }

  return {
    crm: "hubspot",
    setup,
    pages,
    testConnection,
    dealFields: [
      "name",
      "owner",
      "stage",
      "status",
      "amount",
      "currency",
      "openedAt",
      "expectedCloseDay",
      "closedAt",
      "nextStep",
      "lostReason",
      "probability",
    ],
  };
}

const BUYER_CALL = new Set(["INBOUND"]);
const BUYER_EMAIL = new Set(["INCOMING_EMAIL"]);
const CALL_NOT_DONE = new Set(["QUEUED", "RINGING", "CONNECTING", "CALLING_CRM_USER", "IN_PROGRESS", "CANCELED"]);
const EMAIL_NOT_SENT = new Set(["SCHEDULED", "FAILED", "BOUNCED", "SENDING"]);

/** One HubSpot engagement in the app's words; null when it has no date. */
export function toActivity(
  type: Engagement,
  engagement: HubSpotObject,
  dealId: string,
  now: Date,
): ActivityRecord | null {
  const p = engagement.properties;
  const base = { externalId: `${type}:${engagement.id}`, dealId };
  const at = hubspotDate(type === "meetings" ? (p.hs_meeting_start_time ?? p.hs_timestamp) : p.hs_timestamp);
  if (!at) return null;
  let activityType: ActivityType;
  let side: ActivitySide = "seller";
  let summary: string | null;
  let done = true;
  switch (type) {
    case "calls":
      activityType = "call";
      side = BUYER_CALL.has(p.hs_call_direction ?? "") ? "buyer" : "seller";
      summary = summaryText(p.hs_call_title) ?? summaryText(p.hs_call_body);
      done = !CALL_NOT_DONE.has(p.hs_call_status ?? "");
      break;
    case "emails":
      activityType = "email";
      side = BUYER_EMAIL.has(p.hs_email_direction ?? "") ? "buyer" : "seller";
      summary = summaryText(p.hs_email_subject);
      done = !EMAIL_NOT_SENT.has(p.hs_email_status ?? "");
      break;
    case "meetings": {
      activityType = "meeting";
      // A meeting is the buyer's effort when it was held; scheduled, no-show and cancelled ones are not.
      const outcome = p.hs_meeting_outcome ?? null;
      side = "buyer";
      done = outcome ? outcome === "COMPLETED" : at.getTime() <= now.getTime();
      summary = summaryText(p.hs_meeting_title);
      break;
    }
    case "notes":
      activityType = "note";
      summary = summaryText(p.hs_note_body);
      break;
    case "tasks":
      activityType = "task";
      done = p.hs_task_status === "COMPLETED";
      summary = summaryText(p.hs_task_subject);
      break;
  }
  return { ...base, at, type: activityType, side, summary, done };
}
