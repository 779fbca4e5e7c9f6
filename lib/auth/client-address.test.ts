import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxyHops } from "./client-address.mjs";

describe("clientAddress: who is signing in, for the sign-in limit", () => {
  it("ignores X-Forwarded-For when no proxy is trusted (finding 2 of issue 11)", () => {
    expect(clientAddress("203.0.113.7", "198.51.100.1", 0)).toBe("198.51.100.1");
    expect(clientAddress(["10.0.0.1", "10.0.0.2"], "198.51.100.1", 0)).toBe("198.51.100.1");
  });

  it("takes the address the one trusted proxy saw, not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the client's real address.
    expect(clientAddress("1.2.3.4, 198.51.100.9", "10.0.0.5", 1)).toBe("198.51.100.9");
    expect(clientAddress("198.51.100.9", "10.0.0.5", 1)).toBe("198.51.100.9");
  });

  it("walks back one entry per trusted proxy", () => {
    expect(clientAddress("6.6.6.6, 198.51.100.9, 10.0.0.7", "10.0.0.5", 2)).toBe("198.51.100.9");
  });

  it("never reaches past the header's left end when the proxies added fewer entries than promised", () => {
    expect(clientAddress(undefined, "10.0.0.5", 2)).toBe("10.0.0.5");
    expect(clientAddress("198.51.100.9", "10.0.0.5", 3)).toBe("198.51.100.9");
  });

  it("names a missing socket address rather than leaving it empty", () => {
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
  });
});

describe("trustedProxyHops", () => {
  it("reads unset and empty as no trusted proxy", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops(" ")).toBe(0);
    expect(trustedProxyHops("2")).toBe(2);
  });

  it("refuses a value that is not a small count, saying what to set", () => {
    expect(() => trustedProxyHops("yes")).toThrow(
      /TRUSTED_PROXY_HOPS is "yes": set it to the number of your own proxies/,
    );
    expect(() => trustedProxyHops("-1")).toThrow(/0–10/);
  });
});
