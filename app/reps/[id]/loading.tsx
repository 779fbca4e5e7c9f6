export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="text-slate-700">
        Loading the rep's pipeline…
      </p>
      <div className="mt-4 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {["a", "b", "c", "d", "e", "f"].map((key) => (
          <div key={key} className="h-24 animate-pulse rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="mt-6 h-96 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
