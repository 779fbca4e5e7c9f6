export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="mb-4 text-sm text-slate-600">
        Loading the import page…
      </p>
      <div className="animate-pulse space-y-3" aria-hidden="true">
        {["a", "b", "c"].map((key) => (
          <div key={key} className="h-24 rounded-lg bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
