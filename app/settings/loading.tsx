export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="mb-4 text-sm text-slate-600">
        Loading the settings…
      </p>
      <div className="grid animate-pulse gap-4 sm:grid-cols-2" aria-hidden="true">
        {["a", "b", "c", "d", "e", "f"].map((key) => (
          <div key={key} className="h-16 rounded-lg bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
