// The production server (`npm start`): Next.js's request handler behind a
// plain Node HTTP server, so the app learns the address each request really
// came from. `next start` keeps whatever X-Forwarded-For a client sends, which
// let anyone pick a fresh address for every wrong password (issue 11).
//
// Every request gets CLIENT_ADDRESS_HEADER set here, replacing any value the
// client sent: the socket's peer, or with TRUSTED_PROXY_HOPS=n the address the
// outermost of your n proxies saw. Sign-in's per-address limit reads only it.
import { createServer } from "node:http";
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxyHops } from "../lib/auth/client-address.mjs";

// What `next start` does: a production server runs with NODE_ENV=production,
// set before Next.js is loaded.
process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const port = Number(process.env.PORT || 3000);
const hops = trustedProxyHops(process.env.TRUSTED_PROXY_HOPS);

const app = next({ dev: false, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

// PIPELINE_LOAD_TRACE=<file>: one JSON line a second on what could hold
// answers back — the event loop's delay, garbage collection's pauses, the page
// cache's loads and reloads, pages answered — to lay beside bench:load's
// "slowest 1%" windows (issue 13). Off unless asked for.
if (process.env.PIPELINE_LOAD_TRACE) {
  const { startLoadTrace } = await import("./load-trace.mjs");
  startLoadTrace(process.env.PIPELINE_LOAD_TRACE);
}

createServer((request, response) => {
  request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(
    request.headers["x-forwarded-for"],
    request.socket.remoteAddress,
    hops,
  );
  if (globalThis.__pipelineAnswered) response.on("finish", globalThis.__pipelineAnswered);
  handle(request, response);
}).listen(port, () => {
  const proxies = hops ? `trusting ${hops} proxy hop${hops === 1 ? "" : "s"} in X-Forwarded-For` : "no proxy trusted";
  console.log(`Pipeline Integrity on http://localhost:${port} (${proxies})`);
});
