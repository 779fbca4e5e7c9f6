// Pipedrive, read through its documented API with an API token (header
// x-api-token):
// - owners: GET /api/v1/users (active and not: deals keep their owner);
// - stages: GET /api/v2/pipelines and /api/v2/stages (order_nr,
//   deal_probability); won and lost are deal statuses in Pipedrive, not stages;
// - deals changed since the cursor: GET /api/v2/deals?updated_since=…&
//   sort_by=update_time, 100 a page, additional_data.next_cursor;
// - history: GET /api/v1/deals/{id}/flow — stage_id, status,
//   expected_close_date and value changes with their log_time;
// - activities changed since the cursor: GET /api/v2/activities?updated_since=…
//   (Pipedrive does not say which side acted: meetings count as the buyer's
//   effort, calls, emails and tasks as the seller's — as for a CSV export);
// - deleted deals: GET /api/v2/deals?status=deleted (kept 30 days by Pipedrive).
// The cursor remembers which of the three passes a stopped run was in.
import type { ActivityType } from "@/lib/generated/prisma/enums";
import { createHttpClient, type HttpOptions } from "./http";
import { followPages, type Page, readAllPages } from "./paging";
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

export const PIPEDRIVE_DEFAULT_BASE = "https://api.pipedrive.com";
const PAGE_SIZE = 100;

interface Pass {
  /** update_time (ISO) the pass reads from; null: everything. */
  since: string | null;
  cursor: string | null;
  /** Latest update_time read in this pass so far. */
  latest: string | null;
}
export interface PipedriveCursor {
  phase: "deals" | "activities" | "deleted";
  deals: Pass;
  activities: Pass;
}

interface Listed<T> {
  success?: boolean;
  data: T[] | null;
  additional_data?: {
    next_cursor?: string | null;
    pagination?: { more_items_in_collection?: boolean; next_start?: number };
  };
}

interface PipedriveDeal {
  id: number;
  title: string | null;
  owner_id: number | null;
  stage_id: number | null;
  pipeline_id?: number | null;
  value: number | null;
  currency: string | null;
  add_time: string | null;
  update_time: string | null;
  status: "open" | "won" | "lost" | "deleted";
  expected_close_date: string | null;
  close_time?: string | null;
  won_time?: string | null;
  lost_time?: string | null;
  lost_reason?: string | null;
  is_deleted?: boolean;
}

interface PipedriveActivity {
  id: number;
  type: string | null;
  subject: string | null;
  deal_id: number | null;
  due_date: string | null;
  due_time: string | null;
  done: boolean;
  marked_as_done_time?: string | null;
  update_time: string | null;
  note?: string | null;
  is_deleted?: boolean;
}

interface FlowItem {
  object: string;
  timestamp: string;
  data: {
    field_key?: string;
    old_value?: string | number | null;
    new_value?: string | number | null;
    log_time?: string;
  };
}

/** Pipedrive writes UTC instants as "2026-03-04 10:00:00" (v1) or ISO (v2). */
export function pipedriveDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.replace(" ", "T")}Z` : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

const ACTIVITY_TYPES: Record<string, ActivityType> = {
  call: "call",
  email: "email",
  meeting: "meeting",
  lunch: "meeting",
  task: "task",
  deadline: "task",
};

export interface PipedriveOptions {
  apiToken: string;
  baseUrl?: string;
  http?: Partial<HttpOptions>;
}

export function pipedriveReader(options: PipedriveOptions): CrmReader {
  const base = (options.baseUrl || PIPEDRIVE_DEFAULT_BASE).replace(/\/+$/, "");
  const http = createHttpClient({
    crm: "Pipedrive",
    headers: () => ({ "x-api-token": options.apiToken }),
    // Pipedrive's burst limit is per 2-second window by plan (20 to 120 requests): 10 a second stays under the lowest.
    minIntervalMs: 100,
    ...options.http,
  });
  const url = (path: string, query: Record<string, string | number | undefined> = {}) => {
    const target = new URL(base + path);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) target.searchParams.set(key, String(value));
    return target.toString();
  };

  const owners = new Map<number, OwnerRecord>();
  const stages = new Map<number, CrmStage>();

  async function setup(): Promise<CrmSetup> {
    const users = await http.get<Listed<{ id: number; name: string; email: string | null }>>(url("/api/v1/users"));
    owners.clear();
    for (const user of users.body?.data ?? [])
      owners.set(user.id, { name: user.name, email: user.email || null, team: null });
    const pipelines = await http.get<Listed<{ id: number; name: string; order_nr: number }>>(url("/api/v2/pipelines"));
    const stageList = await http.get<
      Listed<{ id: number; name: string; pipeline_id: number; order_nr: number; deal_probability: number | null }>
    >(url("/api/v2/stages", { limit: 500 }));
    const pipelineOrder = new Map((pipelines.body?.data ?? []).map((p) => [p.id, p]));
    const all = [...(stageList.body?.data ?? [])].sort(
      (a, b) =>
        (pipelineOrder.get(a.pipeline_id)?.order_nr ?? 0) - (pipelineOrder.get(b.pipeline_id)?.order_nr ?? 0) ||
        a.order_nr - b.order_nr,
    );
    const counts = new Map<string, number>();
    for (const stage of all) counts.set(stage.name.toLowerCase(), (counts.get(stage.name.toLowerCase()) ?? 0) + 1);
    stages.clear();
    all.forEach((stage, order) => {
      const pipeline = pipelineOrder.get(stage.pipeline_id)?.name ?? String(stage.pipeline_id);
      stages.set(stage.id, {
        id: String(stage.id),
        name: (counts.get(stage.name.toLowerCase()) ?? 0) > 1 ? `${stage.name} (${pipeline})` : stage.name,
        order,
        probability: stage.deal_probability ?? 0,
        closed: null,
      });
    });
    return { owners: [...owners.values()], stages: [...stages.values()] };
  }

  const stageName = (id: number | string | null | undefined) =>
    id == null || id === "" ? null : (stages.get(Number(id))?.name ?? `Pipedrive stage ${id}`);
  const ownerOf = (id: number | null) => {
    if (id == null) return null;
    const owner = owners.get(id);
    return owner ? (owner.email ?? owner.name) : `Pipedrive user ${id}`;
  };

  function toDeal(deal: PipedriveDeal): DealRecord {
    const closed = deal.status === "won" ? deal.won_time : deal.status === "lost" ? deal.lost_time : null;
    return {
      externalId: String(deal.id),
      name: deal.title,
      account: null,
      owner: ownerOf(deal.owner_id),
      stage: stageName(deal.stage_id),
      status: deal.status === "deleted" ? "lost" : deal.status,
      amount: deal.value == null ? null : String(deal.value),
      currency: deal.currency,
      openedAt: pipedriveDate(deal.add_time),
      expectedCloseDay: deal.expected_close_date,
      closedAt: pipedriveDate(closed ?? deal.close_time ?? null),
      nextStep: null,
      lostReason: deal.status === "lost" ? (deal.lost_reason ?? null) : null,
      probability: null,
    };
  }

  async function flow(deal: PipedriveDeal): Promise<HistoryRecord[]> {
    const items =
      (await readAllPages<FlowItem, number>(async (start) => {
        const { body } = await http.get<Listed<FlowItem>>(
          url(`/api/v1/deals/${deal.id}/flow`, { start: start ?? 0, limit: 100, all_changes: 1 }),
        );
        const pagination = body?.additional_data?.pagination;
        return {
          items: body?.data ?? [],
          next: pagination?.more_items_in_collection ? (pagination.next_start ?? null) : null,
        };
      })) ?? [];
    const changes = items
      .filter((item) => item.object === "dealChange" && item.data.field_key)
      .map((item) => ({ ...item.data, at: pipedriveDate(item.data.log_time ?? item.timestamp) }))
      .filter((change): change is typeof change & { at: Date } => change.at !== null)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const dealId = String(deal.id);
    const firstStage = changes.find((c) => c.field_key === "stage_id")?.old_value ?? deal.stage_id;
    let stage = stageName(firstStage) ?? "";
    const opened = pipedriveDate(deal.add_time);
    // The deal as it was opened: the values its first changes started from.
    const firstClose = changes.find((c) => c.field_key === "expected_close_date");
    const firstValue = changes.find((c) => c.field_key === "value");
    const records: HistoryRecord[] =
      opened && stage
        ? [
            {
              dealId,
              at: opened,
              stage,
              ...(firstClose ? { closeDay: firstClose.old_value ? String(firstClose.old_value) : null } : {}),
              ...(firstValue ? { amount: firstValue.old_value == null ? null : String(firstValue.old_value) } : {}),
            },
          ]
        : [];
    for (const change of changes) {
      if (change.field_key === "stage_id") {
        stage = stageName(change.new_value) ?? stage;
        records.push({ dealId, at: change.at, stage });
      } else if (change.field_key === "status") {
        const status = String(change.new_value);
        records.push({ dealId, at: change.at, stage: status === "won" || status === "lost" ? status : stage });
      } else if (change.field_key === "expected_close_date") {
        records.push({ dealId, at: change.at, stage, closeDay: change.new_value ? String(change.new_value) : null });
      } else if (change.field_key === "value") {
        records.push({
          dealId,
          at: change.at,
          stage,
          amount: change.new_value == null ? null : String(change.new_value),
        });
      }
    }
    return records;
  }

  function toActivity(activity: PipedriveActivity): ActivityRecord | null {
    if (!activity.deal_id || !activity.due_date) return null;
    const at = pipedriveDate(
      activity.due_time ? `${activity.due_date} ${activity.due_time}` : `${activity.due_date} 00:00`,
    );
    if (!at) return null;
    const type = ACTIVITY_TYPES[activity.type ?? ""] ?? "other";
    return {
      externalId: String(activity.id),
      dealId: String(activity.deal_id),
      at: pipedriveDate(activity.marked_as_done_time) ?? at,
      type,
      // Pipedrive does not record who acted; a meeting held is the buyer's time.
      side: type === "meeting" ? "buyer" : "seller",
      summary: summaryText(activity.subject) ?? summaryText(activity.note),
      done: activity.done,
    };
  }

  const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);

  async function* pages(cursorValue: unknown): AsyncGenerator<CrmPage> {
    const fresh: Pass = { since: null, cursor: null, latest: null };
    const start = (cursorValue ?? {}) as Partial<PipedriveCursor>;
    const state: PipedriveCursor = {
      phase: start.phase ?? "deals",
      deals: { ...fresh, ...start.deals },
      activities: { ...fresh, ...start.activities },
    };
    const snapshot = (): PipedriveCursor => JSON.parse(JSON.stringify(state));

    /** One page of a v2 list ordered by update_time, from its opaque next_cursor. */
    const listPage =
      <T>(path: string, query: Record<string, string | number | undefined>) =>
      async (cursor: string | null): Promise<Page<T, string>> => {
        const { body } = await http.get<Listed<T>>(
          url(path, { ...query, cursor: cursor ?? undefined, limit: PAGE_SIZE }),
        );
        return { items: body?.data ?? [], next: body?.additional_data?.next_cursor ?? null };
      };
    const changedSince = (since: string | null) => ({
      updated_since: since ?? undefined,
      sort_by: "update_time",
      sort_direction: "asc",
    });

    if (state.phase === "deals") {
      const read = listPage<PipedriveDeal>("/api/v2/deals", changedSince(state.deals.since));
      for await (const page of followPages(read, state.deals.cursor)) {
        const deals = page.items;
        const history: HistoryRecord[] = [];
        for (const deal of deals) history.push(...(await flow(deal)));
        for (const deal of deals) state.deals.latest = later(state.deals.latest, deal.update_time);
        if (page.next) state.deals.cursor = page.next;
        else {
          state.deals = { since: state.deals.latest ?? state.deals.since, cursor: null, latest: null };
          state.phase = "activities";
        }
        yield { deals: deals.map(toDeal), history, activities: [], cursor: snapshot(), notes: [] };
      }
    }
    if (state.phase === "activities") {
      const read = listPage<PipedriveActivity>("/api/v2/activities", changedSince(state.activities.since));
      for await (const page of followPages(read, state.activities.cursor)) {
        for (const activity of page.items)
          state.activities.latest = later(state.activities.latest, activity.update_time);
        const activities = page.items
          .filter((a) => !a.is_deleted)
          .map(toActivity)
          .filter((a): a is ActivityRecord => a !== null);
        if (page.next) state.activities.cursor = page.next;
        else {
          state.activities = { since: state.activities.latest ?? state.activities.since, cursor: null, latest: null };
          state.phase = "deleted";
        }
        yield { deals: [], history: [], activities, cursor: snapshot(), notes: [] };
      }
    }
    // Deleted deals (Pipedrive keeps them 30 days): closed here as lost, never deleted.
    for await (const page of followPages(listPage<PipedriveDeal>("/api/v2/deals", { status: "deleted" }))) {
      if (!page.next) state.phase = "deals";
      const deleted = page.items.map((deal) => ({
        ...toDeal(deal),
        status: "lost" as const,
        lostReason: "Deleted in Pipedrive",
        closedAt: pipedriveDate(deal.update_time),
      }));
      yield { deals: deleted, history: [], activities: [], cursor: snapshot(), notes: [], deletedOnly: true };
    }
  }

  async function testConnection(): Promise<string> {
    const { body } = await http.get<Listed<PipedriveDeal>>(url("/api/v2/deals", { limit: 1 }));
    const deal = body?.data?.[0];
    return deal
      ? `Connected to Pipedrive: read the deal “${deal.title ?? deal.id}”.`
      : "Connected to Pipedrive: it has no deals yet.";
  }

  return {
    crm: "pipedrive",
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
      "lostReason",
    ],
  };
}
