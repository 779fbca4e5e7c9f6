// What a rep sees on the audit trail: a plain refusal, not an error.
import Link from "next/link";

export function ReadersOnly() {
  return (
    <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6" data-testid="audit-refused">
      <h1 className="text-xl font-semibold text-slate-900">The audit trail is for managers and administrators</h1>
      <p className="mt-2 text-sm text-slate-700">
        It lists every change made by the people of a team. The history of your own deals is on each deal's page.
      </p>
      <p className="mt-4 text-sm">
        <Link href="/my" className="text-blue-800 underline">
          Go to my deals
        </Link>
      </p>
    </div>
  );
}
