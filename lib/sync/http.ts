// The one way the sync talks to a CRM: JSON over fetch, paced under the
// vendor's documented burst limit, waiting out HTTP 429 for as long as
// Retry-After says (or backing off exponentially when it does not), retrying
// the gateway errors that mean "try again" (502, 503, 504), and turning
// every other failure into a sentence an admin can act on. The token goes in
// a header and never into a message.
export class CrmRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** The CRM's name in messages ("HubSpot"). */
  crm: string;
  /** Headers every request carries (authorisation). */
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  /** Least time between two requests: keeps a sync under the burst limit instead of living on 429s. */
  minIntervalMs?: number;
  /** How many times a 429 or a gateway error is retried before the run stops. */
  retries?: number;
  /** Waits (injected by tests, which record the waits instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Told each time the client waits for the CRM's rate limit. */
  onWait?: (ms: number, why: string) => void;
  /** What to do about status codes the caller wants to handle itself (e.g. 404 of an optional read). */
  passThrough?: number[];
}

export interface JsonResponse<T> {
  status: number;
  body: T;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds (RFC 9110 delay-seconds) or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const MAX_WAIT_MS = 5 * 60_000;
const FORM = "application/x-www-form-urlencoded";

export function createHttpClient(options: HttpOptions) {
  const sleep = options.sleep ?? realSleep;
  const retries = options.retries ?? 6;
  let lastRequestAt = 0;

  async function pace() {
    const interval = options.minIntervalMs ?? 0;
    if (interval <= 0) return;
    const wait = lastRequestAt + interval - Date.now();
    if (wait > 0) await sleep(wait);
    lastRequestAt = Date.now();
  }

  /** `allow`: statuses returned to the caller (e.g. 404 of a read it can do without) instead of thrown. */
  async function request<T>(
    method: string,
    url: string,
    body?: unknown,
    allow: number[] = [],
  ): Promise<JsonResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      await pace();
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            accept: "application/json",
            ...(body === undefined
              ? {}
              : { "content-type": body instanceof URLSearchParams ? FORM : "application/json" }),
            ...(await options.headers()),
          },
          // OAuth token endpoints take a form (URLSearchParams); the CRMs' APIs take JSON.
          body:
            body === undefined ? undefined : body instanceof URLSearchParams ? body.toString() : JSON.stringify(body),
        });
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : "";
        // A kept-alive connection the server closed while a page was being written fails once: every
        // request here only reads, so it is safe to try again.
        if (attempt < Math.min(retries, 3)) {
          const wait = 1000 * 2 ** attempt;
          options.onWait?.(wait, `no answer from ${options.crm} (${cause})`);
          await sleep(wait);
          continue;
        }
        throw new CrmRequestError(
          `Could not reach ${options.crm} at ${new URL(url).origin} (${cause}): check the address and the network, then sync again.`,
          null,
        );
      }
      const retryable =
        response.status === 429 || response.status === 502 || response.status === 503 || response.status === 504;
      if (retryable && attempt < retries) {
        const told = retryAfterMs(response.headers.get("retry-after"));
        const wait = Math.min(MAX_WAIT_MS, told ?? 1000 * 2 ** attempt);
        await response.body?.cancel();
        options.onWait?.(wait, response.status === 429 ? "rate limit" : `${response.status} from ${options.crm}`);
        await sleep(wait);
        continue;
      }
      const text = await response.text();
      if (response.ok || allow.includes(response.status) || options.passThrough?.includes(response.status)) {
        let parsed: unknown = null;
        if (text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            throw new CrmRequestError(
              `${options.crm} answered ${method} ${new URL(url).pathname} with something that is not JSON: check the address points at ${options.crm}'s API.`,
              response.status,
            );
          }
        }
        return { status: response.status, body: parsed as T };
      }
      throw new CrmRequestError(describeFailure(options.crm, method, url, response.status, text), response.status);
    }
  }

  return {
    get: <T>(url: string) => request<T>("GET", url),
    post: <T>(url: string, body: unknown) => request<T>("POST", url, body),
    request,
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

function vendorMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown> | Record<string, unknown>[];
    const first = Array.isArray(body) ? body[0] : body;
    const message = first?.message ?? first?.error_description ?? first?.error ?? first?.errorCode;
    return typeof message === "string" ? message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

function describeFailure(crm: string, method: string, url: string, status: number, text: string): string {
  const path = new URL(url).pathname;
  const said = vendorMessage(text);
  const detail = said ? ` ${crm} said: “${said}”` : "";
  if (status === 401)
    return `${crm} refused the credentials (401).${detail} Enter a valid token on Settings → Connections (or in the environment) and sync again.`;
  if (status === 403)
    return `${crm} says the credentials may not read ${path} (403).${detail} Give the app the read scopes for deals, owners and activities, then sync again.`;
  if (status === 429)
    return `${crm} kept refusing requests for too many calls (429), even after waiting as told.${detail} Sync again later.`;
  return `${crm} answered ${method} ${path} with ${status}.${detail} Nothing of this page was written; sync again to resume from here.`;
}
