// @ts-check
// Next.js configuration: next.config.js, as the design names it, typed by the
// JSDoc below so editors check it against Next's NextConfig.
import { REQUEST_BODY_LIMIT_BYTES } from "./lib/request-size.mjs";

const isDev = process.env.NODE_ENV !== "production";

// The app loads nothing from other origins. Next.js inlines its bootstrap
// scripts and React/recharts set inline styles, hence 'unsafe-inline'; the
// dev server also needs eval for fast refresh.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files from its own package folder; bundled,
  // every request fails with "ERR_INVALID_ARG_TYPE … Received an instance of URL".
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg"],
  poweredByHeader: false,
  // Lets several builds live side by side (parallel browser-test runs); default .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  experimental: {
    serverActions: {
      // Server actions are refused from other origins (Next's check). Behind a
      // reverse proxy that changes the host, list the public host(s) here,
      // comma-separated, e.g. SERVER_ACTIONS_ALLOWED_ORIGINS=pipeline.example.com
      allowedOrigins: (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
      // One limit with the proxy (lib/request-size.mjs); a larger body is
      // answered 413 by proxy.ts or by Next's action handler, never cut short.
      bodySizeLimit: REQUEST_BODY_LIMIT_BYTES,
    },
    // The proxy buffers bodies up to here. One byte over the actions' limit,
    // so a body it cuts short is still over that limit and refused with 413,
    // never parsed half-read (which answered 500).
    proxyClientMaxBodySize: REQUEST_BODY_LIMIT_BYTES + 1,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
