import Link from "next/link";

export default function MyDealsNotFound() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold">No such rep to preview</h1>
      <p className="mt-2 text-slate-700">
        Only managers and admins can preview a rep's “My deals” page, and only for reps in their scope.
      </p>
      <p className="mt-4">
        <Link href="/my" className="text-blue-800 underline">
          Back to my deals
        </Link>
      </p>
    </main>
  );
}
