// Shown while a screen's data loads (the shell is part of each page, so this is a plain skeleton).
export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="mb-4 text-sm text-slate-600">
        Loading the pipeline…
      </p>
      <div className="grid animate-pulse gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-hidden="true">
        {["a", "b", "c", "d"].map((key) => (
          <div key={key} className="h-28 rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="mt-6 h-64 animate-pulse rounded-lg bg-slate-200" aria-hidden="true" />
    </div>
  );
}
