// Where to go after signing in (`/sign-in?next=…`): only a path on this site,
// so a crafted link cannot send people elsewhere once they have signed in.
//
// The check parses the value as a browser would instead of looking at its
// first characters: browsers drop tabs and line breaks inside URLs and read a
// backslash as a slash, so "/\t/example.org" or "/\\example.org" are links to
// another host even though they start with a single "/".

const THIS_SITE = "http://this-site.invalid";

export function safeNextPath(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, THIS_SITE);
  } catch {
    return "/";
  }
  if (url.origin !== THIS_SITE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//host" normalises to "//host", which a browser reads as another host.
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
