// The one paging loop every CRM reader uses: ask for a page, hand it on,
// ask again with the token the page gave (HubSpot's `after`, Pipedrive's
// `next_cursor` or `next_start`, Salesforce's `nextRecordsUrl`) until a page
// gives none. Readers only say how to read one page and where its next-page
// token is; the loop, and the "stop when there is no next page" rule, live here.

export interface Page<T, Token> {
  items: T[];
  /** Where the next page starts; null: this was the last one. */
  next: Token | null;
}

/**
 * Pages from `first` (null: the beginning) on. `read` may answer null to say
 * "this list cannot be read here" (an optional read the CRM refused): the
 * pages stop there.
 */
export async function* followPages<T, Token>(
  read: (token: Token | null) => Promise<Page<T, Token> | null>,
  first: Token | null = null,
): AsyncGenerator<Page<T, Token>> {
  let token = first;
  for (;;) {
    const page = await read(token);
    if (!page) return;
    yield page;
    if (page.next === null || page.next === undefined) return;
    token = page.next;
  }
}

/** Every item of every page; null when a page could not be read (an optional list the CRM refused). */
export async function readAllPages<T, Token>(
  read: (token: Token | null) => Promise<Page<T, Token> | null>,
): Promise<T[] | null> {
  const all: T[] = [];
  let refused = false;
  const readOrNote = async (token: Token | null) => {
    const page = await read(token);
    if (!page) refused = true;
    return page;
  };
  for await (const page of followPages(readOrNote)) all.push(...page.items);
  return refused ? null : all;
}
