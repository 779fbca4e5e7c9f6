import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pipeline Integrity", template: "%s · Pipeline Integrity" },
  description: "Keeps the sales pipeline honest: stale-deal rules explained in numbers.",
  // The files are drawn by scripts/make-icons.mjs into public/.
  icons: { icon: "/favicon.ico", apple: "/apple-touch-icon.png" },
  manifest: "/manifest.webmanifest",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
