import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getDemoSignIns } from "@/lib/auth/data";
import { safeNextPath } from "@/lib/auth/next-path";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const demo = await getDemoSignIns();
  return (
    <main className="mx-auto mt-16 max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-2xl font-semibold">Sign in to Pipeline Integrity</h1>
      <p className="mb-6 text-sm text-slate-600">Use the email your administrator registered for you.</p>
      <SignInForm next={safeNextPath(params.next)} demo={demo} />
    </main>
  );
}
