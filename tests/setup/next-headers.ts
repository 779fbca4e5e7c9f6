// Stands in for "next/headers" in tests: the request's cookies are whatever
// the test signed in with (see tests/fixtures/sign-in.ts), so the real
// better-auth session lookup runs against the real test database.
let cookieHeader = "";

export function setRequestCookies(header: string): void {
  cookieHeader = header;
}

export async function headers(): Promise<Headers> {
  return new Headers(cookieHeader ? { cookie: cookieHeader } : {});
}

export async function cookies() {
  const parsed = new Map(
    cookieHeader
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const index = part.indexOf("=");
        return [part.slice(0, index), part.slice(index + 1)] as const;
      }),
  );
  return {
    get: (name: string) => (parsed.has(name) ? { name, value: parsed.get(name) ?? "" } : undefined),
    getAll: () => [...parsed].map(([name, value]) => ({ name, value })),
    has: (name: string) => parsed.has(name),
    set: () => undefined,
    delete: () => undefined,
  };
}
