import Link from "next/link";

export default function PersonNotFound() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold">No such person</h1>
      <p className="mt-2 text-slate-700">The link may be old. Nobody is ever deleted, so check the address.</p>
      <p className="mt-4">
        <Link href="/users" className="text-blue-800 underline">
          Back to people
        </Link>
      </p>
    </main>
  );
}
