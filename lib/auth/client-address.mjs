// Which address a request comes from, for the sign-in limit. Plain JavaScript
// because the production server (scripts/serve.mjs) runs it before Next.js
// is loaded.
//
// X-Forwarded-For is written by whoever sends the request, so it is ignored
// unless the operator says how many proxies of their own stand in front of the
// app (TRUSTED_PROXY_HOPS). Each trusted proxy appends the address it received
// the request from, so the client is the entry that many places from the right
// of "X-Forwarded-For, socket address"; anything further left is the client's
// own claim.

/** The request header the server sets (any value a client sends is replaced). */
export const CLIENT_ADDRESS_HEADER = "x-pipeline-client-address";

/** TRUSTED_PROXY_HOPS as a count: unset or empty means 0 (the app faces the internet itself). */
export function trustedProxyHops(text) {
  if (text === undefined || text.trim() === "") return 0;
  if (!/^\d+$/.test(text.trim()) || Number(text) > 10) {
    throw new Error(
      `TRUSTED_PROXY_HOPS is "${text}": set it to the number of your own proxies in front of the app (0–10), or leave it unset.`,
    );
  }
  return Number(text);
}

/**
 * The client's address: the socket's peer with no trusted proxy, otherwise
 * the address the outermost trusted proxy saw. A header shorter than the
 * proxies promised (a misconfigured proxy) gives its leftmost entry, never
 * an address the client chose beyond it.
 */
export function clientAddress(forwardedFor, socketAddress, hops) {
  const peer = socketAddress || "unknown";
  if (!hops) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const chain = [
    ...header
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    peer,
  ];
  return chain[Math.max(0, chain.length - 1 - hops)];
}
