export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="mb-4 text-sm text-slate-600">
        Loading this person…
      </p>
      <div className="animate-pulse space-y-2" aria-hidden="true">
        {["a", "b", "c", "d", "e", "f", "g", "h"].map((key) => (
          <div key={key} className="h-9 rounded bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
