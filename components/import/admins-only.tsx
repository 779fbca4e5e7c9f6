// What a manager or rep sees on the import page: a plain refusal, not an error.
import Link from "next/link";

export function AdminsOnlyImport() {
  return (
    <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6" data-testid="admins-only">
      <h1 className="text-xl font-semibold text-slate-900">Only administrators can import CRM exports</h1>
      <p className="mt-2 text-sm text-slate-700">
        An import changes deals, people and stages for the whole organisation. To bring in a new export from your CRM,
        ask an administrator of your organisation.
      </p>
      <p className="mt-4 text-sm">
        <Link href="/" className="text-blue-800 underline">
          Back to the team overview
        </Link>
      </p>
    </div>
  );
}
