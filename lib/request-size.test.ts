// Issue 11, finding 8: the proxy cut action bodies at 10 MB and answered 500
// while next.config allowed 50 MB. One limit now, and a clear 413 above it.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config.js";
import { proxy } from "@/proxy";
import { REQUEST_BODY_LIMIT_BYTES } from "./request-size.mjs";

const post = (size: number) =>
  new NextRequest("http://localhost:3000/deals/12", {
    method: "POST",
    headers: { "content-length": String(size), cookie: "better-auth.session_token=abc.def" },
  });

describe("the request size limit", () => {
  it("is the same number in next.config's server actions and the proxy's buffer", () => {
    expect(nextConfig.experimental?.serverActions?.bodySizeLimit).toBe(REQUEST_BODY_LIMIT_BYTES);
    // One byte more, so a body the proxy cuts is still over the actions' limit (413, not a half-read 500).
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(REQUEST_BODY_LIMIT_BYTES + 1);
  });

  it("answers 413 with what to do for a larger body, before anything reads it", async () => {
    const response = proxy(post(REQUEST_BODY_LIMIT_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than 4 MB.*Import page/s);
  });

  it("lets a body of exactly the limit through", () => {
    const response = proxy(post(REQUEST_BODY_LIMIT_BYTES));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });
});
