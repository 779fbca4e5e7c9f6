// Salesforce, read through its REST API ("REST API Developer Guide":
// Query / QueryAll, SOQL) after signing in by OAuth (salesforce-auth.ts).
// What is read, and why that way:
// - owners: User (Name, Email, UserRole.Name). Salesforce has no "team"
//   object; the role a user holds is how orgs group reps under a manager, so
//   the role's name is the team (no role: no team);
// - stages: OpportunityStage in SortOrder, with DefaultProbability and
//   IsClosed / IsWon (closed stages become the won / lost status). A deal's
//   StageName holds the stage's ApiName, so that is the name used here;
// - deals: Opportunity through queryAll (which also returns deleted ones,
//   IsDeleted = true, so deletions need no separate pass), ordered by
//   SystemModstamp, Id and read from the last (SystemModstamp, Id) written —
//   keyset paging, so a stopped sync resumes at the page that failed without
//   relying on a query locator that expires; within a run the pages are
//   followed by nextRecordsUrl, 200 records a page (Sforce-Query-Options);
// - history: OpportunityHistory of the page's deals — each row is the deal's
//   whole state when it changed (StageName, CloseDate, Amount), which is
//   exactly stage, close-date and amount history; OpportunityFieldHistory
//   would only repeat it (and needs field history tracking switched on);
// - activities: Task and Event on opportunities (What.Type = 'Opportunity'),
//   each in its own pass by SystemModstamp, so a call logged on a deal that
//   did not otherwise change is still read. Which side acted: a call's
//   CallType says Inbound (the buyer called) or Outbound; a logged email
//   Task carries no direction Salesforce keeps reliably, so emails count as
//   the seller's (as a CSV export of tasks does); an Event is a meeting, the
//   buyer's effort once it has ended — one still ahead is planned, not done.
// Limits: 429 and 503 (the concurrent-request limit, REQUEST_LIMIT_EXCEEDED)
// are waited out (http.ts); 403 REQUEST_LIMIT_EXCEEDED is the org's rolling
// 24-hour allowance used up, where waiting minutes does not help: the run
// stops with that said. An expired access token (401 INVALID_SESSION_ID) is
// renewed once by signing in again.
import type { ActivityType } from "@/lib/generated/prisma/enums";
import { CrmRequestError, createHttpClient, type HttpOptions } from "./http";
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
import { type SalesforceSignIn, type Session, signIn } from "./salesforce-auth";

export const SALESFORCE_API_VERSION = "v62.0";
/** Records a query page holds (Salesforce's smallest batch size): one page is one transaction. */
const BATCH_SIZE = 200;
/** Ids per OpportunityHistory query: keeps the GET URL well under Salesforce's 16,384 characters. */
const IDS_PER_QUERY = 200;

/** Where a pass stopped: the last record written, in (SystemModstamp, Id) order. */
export interface Mark {
  at: string;
  id: string;
}
export interface SalesforceCursor {
  phase: "deals" | "tasks" | "events";
  deals: Mark | null;
  tasks: Mark | null;
  events: Mark | null;
}

interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

interface Attributed {
  attributes?: { type: string; url: string };
  Id: string;
  SystemModstamp: string;
}

interface SfUser {
  Id: string;
  Name: string | null;
  Email: string | null;
  IsActive?: boolean;
  UserRole?: { Name: string | null } | null;
}

interface SfStage {
  Id: string;
  ApiName?: string | null;
  MasterLabel: string;
  SortOrder: number | null;
  DefaultProbability: number | null;
  IsClosed: boolean;
  IsWon: boolean;
  IsActive: boolean;
}

interface SfOpportunity extends Attributed {
  Name: string | null;
  Account?: { Name: string | null } | null;
  OwnerId: string | null;
  StageName: string | null;
  Amount: number | null;
  CloseDate: string | null;
  CreatedDate: string | null;
  IsClosed: boolean;
  IsWon: boolean;
  Probability: number | null;
  NextStep?: string | null;
  IsDeleted: boolean;
}

interface SfHistory {
  OpportunityId: string;
  StageName: string | null;
  CloseDate: string | null;
  Amount: number | null;
  CreatedDate: string;
}

interface SfTask extends Attributed {
  WhatId: string | null;
  Subject: string | null;
  TaskSubtype: string | null;
  Type: string | null;
  CallType: string | null;
  Status: string | null;
  IsClosed: boolean;
  ActivityDate: string | null;
  CompletedDateTime: string | null;
  CreatedDate: string | null;
}

interface SfEvent extends Attributed {
  WhatId: string | null;
  Subject: string | null;
  StartDateTime: string | null;
  EndDateTime: string | null;
  ActivityDateTime: string | null;
}

const OPPORTUNITY_FIELDS =
  "Id, Name, Account.Name, OwnerId, StageName, Amount, CloseDate, CreatedDate, IsClosed, IsWon, Probability, NextStep, IsDeleted, SystemModstamp";
const TASK_FIELDS =
  "Id, WhatId, Subject, TaskSubtype, Type, CallType, Status, IsClosed, ActivityDate, CompletedDateTime, CreatedDate, SystemModstamp";
const EVENT_FIELDS = "Id, WhatId, Subject, StartDateTime, EndDateTime, ActivityDateTime, SystemModstamp";

/** Salesforce writes instants as 2026-03-04T10:00:00.000+0000; dates as 2026-03-04. */
export function salesforceDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A SOQL string literal: quotes and backslashes escaped as SOQL's "Quoted String Escape Sequences" say. */
export const soqlString = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** Records after the mark in (SystemModstamp, Id) order; a dateTime literal is written bare in SOQL. */
export function afterMark(mark: Mark | null): string | null {
  if (!mark) return null;
  const at = salesforceDate(mark.at)?.toISOString();
  if (!at) return null;
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(mark.id)}))`;
}

const where = (...conditions: (string | null)[]) => {
  const present = conditions.filter(Boolean);
  return present.length ? ` WHERE ${present.join(" AND ")}` : "";
};

const chunk = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

const TASK_TYPES: Record<string, ActivityType> = {
  call: "call",
  email: "email",
  listemail: "email",
  meeting: "meeting",
  task: "task",
};

/** One Task in the app's words; null when it has no date at all. */
export function taskActivity(task: SfTask): ActivityRecord | null {
  if (!task.WhatId) return null;
  const done = task.IsClosed || task.Status === "Completed";
  const at =
    salesforceDate(task.CompletedDateTime) ?? salesforceDate(task.ActivityDate) ?? salesforceDate(task.CreatedDate);
  if (!at) return null;
  // TaskSubtype (Call, Email, ListEmail, Task) is set by how the task was logged; Type is the org's picklist.
  const subtype = (task.TaskSubtype ?? "").toLowerCase();
  const type =
    (subtype && subtype !== "task" ? TASK_TYPES[subtype] : undefined) ??
    TASK_TYPES[(task.Type ?? "").toLowerCase()] ??
    (subtype === "task" ? "task" : "other");
  return {
    externalId: task.Id,
    dealId: task.WhatId,
    at,
    type,
    side: type === "call" && task.CallType === "Inbound" ? "buyer" : "seller",
    summary: summaryText(task.Subject),
    done,
  };
}

/** One Event: a meeting, held (done) once it has ended. */
export function eventActivity(event: SfEvent, now: Date): ActivityRecord | null {
  if (!event.WhatId) return null;
  const at = salesforceDate(event.StartDateTime) ?? salesforceDate(event.ActivityDateTime);
  if (!at) return null;
  const ended = salesforceDate(event.EndDateTime) ?? at;
  return {
    externalId: event.Id,
    dealId: event.WhatId,
    at,
    type: "meeting",
    side: "buyer",
    summary: summaryText(event.Subject),
    done: ended.getTime() <= now.getTime(),
  };
}

export interface SalesforceOptions {
  signIn: SalesforceSignIn;
  loginUrl?: string;
  http?: Partial<HttpOptions>;
  now?: () => Date;
}

export function salesforceReader(options: SalesforceOptions): CrmReader {
  const now = options.now ?? (() => new Date());
  let session: Session | null = null;
  const http = createHttpClient({
    crm: "Salesforce",
    headers: () => ({
      ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
      "sforce-query-options": `batchSize=${BATCH_SIZE}`,
    }),
    // Salesforce limits concurrent long requests and the daily total, not the burst: no spacing needed.
    minIntervalMs: 0,
    ...options.http,
  });

  async function connected(): Promise<Session> {
    session ??= await signIn(options.signIn, { loginUrl: options.loginUrl, http: options.http, now });
    return session;
  }

  /** GET an API path (or a nextRecordsUrl); signs in again once when the access token has expired. */
  async function get<T>(path: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const { instanceUrl } = await connected();
      const { status, body } = await http.request<T | { errorCode?: string; message?: string }[]>(
        "GET",
        instanceUrl + path,
        undefined,
        [401, 403],
      );
      const error = Array.isArray(body) ? body[0] : undefined;
      if (status === 401 && error?.errorCode === "INVALID_SESSION_ID" && attempt === 0) {
        session = null;
        continue;
      }
      if (status === 401) {
        throw new CrmRequestError(
          `Salesforce refused the session (401${error?.errorCode ? ` ${error.errorCode}` : ""}): connect Salesforce again on Settings → Connections, then sync again.`,
          401,
        );
      }
      if (status === 403) {
        throw new CrmRequestError(
          error?.errorCode === "REQUEST_LIMIT_EXCEEDED"
            ? "Salesforce says the org's API requests for the last 24 hours are used up (403 REQUEST_LIMIT_EXCEEDED). Nothing of this page was written; sync again once the allowance has recovered (Setup → Company Information shows it)."
            : `Salesforce says this user may not read ${path.split("?")[0]} (403${error?.errorCode ? ` ${error.errorCode}` : ""}): give the user the “API Enabled” permission and read access to opportunities, their history, tasks and events, then sync again.`,
          403,
        );
      }
      return body as T;
    }
  }

  const version = `/services/data/${SALESFORCE_API_VERSION}`;
  /** One SOQL query's pages, followed by nextRecordsUrl. `all`: queryAll (deleted records too). */
  const query =
    <T>(soql: string, all = false) =>
    async (next: string | null): Promise<Page<T, string>> => {
      const result = await get<QueryResult<T>>(
        next ?? `${version}/${all ? "queryAll" : "query"}?q=${encodeURIComponent(soql)}`,
      );
      return { items: result?.records ?? [], next: result?.done === false ? (result.nextRecordsUrl ?? null) : null };
    };
  const queryAll = async <T>(soql: string) => (await readAllPages(query<T>(soql))) ?? [];

  const owners = new Map<string, OwnerRecord>();

  async function setup(): Promise<CrmSetup> {
    const users = await queryAll<SfUser>("SELECT Id, Name, Email, IsActive, UserRole.Name FROM User");
    owners.clear();
    for (const user of users) {
      owners.set(user.Id, {
        name: user.Name || user.Email || `Salesforce user ${user.Id}`,
        email: user.Email || null,
        team: user.UserRole?.Name || null,
      });
    }
    const listed = await queryAll<SfStage>(
      "SELECT Id, ApiName, MasterLabel, SortOrder, DefaultProbability, IsClosed, IsWon, IsActive FROM OpportunityStage ORDER BY SortOrder",
    );
    // Inactive stages come after the active ones: deals may still sit in them, new ones cannot.
    const ordered = [...listed].sort(
      (a, b) => Number(b.IsActive) - Number(a.IsActive) || (a.SortOrder ?? 0) - (b.SortOrder ?? 0),
    );
    const stages: CrmStage[] = ordered.map((stage, order) => {
      return {
        id: stage.Id,
        name: stage.ApiName || stage.MasterLabel,
        order,
        probability: Math.round(stage.DefaultProbability ?? 0),
        closed: stage.IsClosed ? (stage.IsWon ? "won" : "lost") : null,
      };
    });
    return { owners: [...owners.values()], stages };
  }

  const ownerOf = (id: string | null) => {
    if (!id) return null;
    const owner = owners.get(id);
    return owner ? (owner.email ?? owner.name) : `Salesforce user ${id}`;
  };

  function toDeal(opportunity: SfOpportunity): DealRecord {
    return {
      externalId: opportunity.Id,
      name: opportunity.Name,
      account: opportunity.Account?.Name ?? null,
      owner: ownerOf(opportunity.OwnerId),
      stage: opportunity.StageName,
      // Salesforce says it outright: IsClosed and IsWon.
      status: opportunity.IsClosed ? (opportunity.IsWon ? "won" : "lost") : "open",
      amount: opportunity.Amount == null ? null : String(opportunity.Amount),
      currency: null,
      openedAt: salesforceDate(opportunity.CreatedDate),
      expectedCloseDay: opportunity.CloseDate,
      // A closed deal's CloseDate is when it closed: the import takes it from there, as for a CSV export.
      closedAt: null,
      nextStep: opportunity.NextStep ?? null,
      lostReason: null,
      probability: opportunity.Probability,
    };
  }

  async function history(dealIds: string[]): Promise<HistoryRecord[]> {
    const records: HistoryRecord[] = [];
    for (const ids of chunk(dealIds, IDS_PER_QUERY)) {
      const rows = await queryAll<SfHistory>(
        `SELECT OpportunityId, StageName, CloseDate, Amount, CreatedDate FROM OpportunityHistory WHERE OpportunityId IN (${ids.map(soqlString).join(", ")}) ORDER BY OpportunityId, CreatedDate`,
      );
      for (const row of rows) {
        const at = salesforceDate(row.CreatedDate);
        if (!at || !row.StageName) continue;
        records.push({
          dealId: row.OpportunityId,
          at,
          stage: row.StageName,
          closeDay: row.CloseDate,
          amount: row.Amount == null ? null : String(row.Amount),
        });
      }
    }
    return records;
  }

  const markOf = (record: Attributed): Mark => ({ at: record.SystemModstamp, id: record.Id });

  async function* pages(cursorValue: unknown): AsyncGenerator<CrmPage> {
    const start = (cursorValue ?? {}) as Partial<SalesforceCursor>;
    const state: SalesforceCursor = {
      phase: start.phase ?? "deals",
      deals: start.deals ?? null,
      tasks: start.tasks ?? null,
      events: start.events ?? null,
    };
    const snapshot = (): SalesforceCursor => JSON.parse(JSON.stringify(state));
    const ordered = " ORDER BY SystemModstamp, Id";

    if (state.phase === "deals") {
      const soql = `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity${where(afterMark(state.deals))}${ordered}`;
      for await (const page of followPages(query<SfOpportunity>(soql, true))) {
        const before = snapshot();
        const last = page.items.at(-1);
        if (last) state.deals = markOf(last);
        if (!page.next) state.phase = "tasks";
        const deleted = page.items.filter((opportunity) => opportunity.IsDeleted);
        const live = page.items.filter((opportunity) => !opportunity.IsDeleted);
        // Deleted deals first, under the cursor before this page: were the run to stop between the
        // two writes, the next one reads the whole page again rather than skip a deletion.
        if (deleted.length) {
          yield {
            deals: deleted.map((opportunity) => ({
              ...toDeal(opportunity),
              status: "lost" as const,
              lostReason: "Deleted in Salesforce",
              closedAt: salesforceDate(opportunity.SystemModstamp),
            })),
            history: [],
            activities: [],
            cursor: before,
            notes: [],
            deletedOnly: true,
          };
        }
        yield {
          deals: live.map(toDeal),
          history: await history(live.map((opportunity) => opportunity.Id)),
          activities: [],
          cursor: snapshot(),
          notes: [],
        };
      }
    }
    if (state.phase === "tasks") {
      const soql = `SELECT ${TASK_FIELDS} FROM Task${where("What.Type = 'Opportunity'", afterMark(state.tasks))}${ordered}`;
      for await (const page of followPages(query<SfTask>(soql))) {
        const last = page.items.at(-1);
        if (last) state.tasks = markOf(last);
        if (!page.next) state.phase = "events";
        const notes: string[] = [];
        const activities: ActivityRecord[] = [];
        for (const task of page.items) {
          const record = taskActivity(task);
          if (record) activities.push(record);
          else notes.push(`Salesforce task ${task.Id} has no date and was not read.`);
        }
        yield { deals: [], history: [], activities, cursor: snapshot(), notes };
      }
    }
    if (state.phase === "events") {
      const soql = `SELECT ${EVENT_FIELDS} FROM Event${where("What.Type = 'Opportunity'", afterMark(state.events))}${ordered}`;
      for await (const page of followPages(query<SfEvent>(soql))) {
        const last = page.items.at(-1);
        if (last) state.events = markOf(last);
        if (!page.next) state.phase = "deals";
        const notes: string[] = [];
        const activities: ActivityRecord[] = [];
        for (const event of page.items) {
          const record = eventActivity(event, now());
          if (record) activities.push(record);
          else notes.push(`Salesforce event ${event.Id} has no start and was not read.`);
        }
        yield { deals: [], history: [], activities, cursor: snapshot(), notes };
      }
    }
  }

  async function testConnection(): Promise<string> {
    const page = await query<{ Id: string; Name: string | null }>(
      "SELECT Id, Name FROM Opportunity ORDER BY SystemModstamp DESC LIMIT 1",
    )(null);
    const deal = page.items[0];
    const where = session ? ` (${new URL(session.instanceUrl).host})` : "";
    return deal
      ? `Connected to Salesforce${where}: read the opportunity “${deal.Name ?? deal.Id}”.`
      : `Connected to Salesforce${where}: it has no opportunities yet.`;
  }

  return {
    crm: "salesforce",
    setup,
    pages,
    testConnection,
    dealFields: [
      "name",
      "account",
      "owner",
      "stage",
      "status",
      "amount",
      "openedAt",
      "expectedCloseDay",
      "closedAt",
      "nextStep",
      "lostReason",
      "probability",
    ],
  };
}
