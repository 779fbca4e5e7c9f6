import Link from "next/link";

export default function RepNotFound() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Rep not found</h1>
      <p className="mt-2 text-slate-700">
        This rep does not exist, or is not in a team you can see. Pick a rep from the team overview.
      </p>
      <p className="mt-4">
        <Link href="/" className="text-blue-800 underline">
          Back to the team overview
        </Link>
      </p>
    </main>
  );
}
