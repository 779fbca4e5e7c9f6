// Types for next.config.js (tests import it to check the request limit).
import type { NextConfig } from "next";

declare const nextConfig: NextConfig;
export default nextConfig;
