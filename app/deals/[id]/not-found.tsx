import Link from "next/link";

export default function DealNotFound() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Deal not found</h1>
      <p className="mt-2 text-slate-700">
        This deal does not exist, or belongs to a team you cannot see. Find it from its rep's pipeline.
      </p>
      <p className="mt-4">
        <Link href="/" className="text-blue-800 underline">
          Back to the team overview
        </Link>
      </p>
    </main>
  );
}
