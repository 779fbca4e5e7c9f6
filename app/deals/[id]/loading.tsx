export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl px-4 py-6" aria-busy="true">
      <p role="status" className="text-slate-700">
        Loading the deal…
      </p>
      <div className="mt-4 h-40 animate-pulse rounded-lg bg-slate-200" />
      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="h-96 animate-pulse rounded-lg bg-slate-200" />
        <div className="h-96 animate-pulse rounded-lg bg-slate-200" />
      </div>
    </div>
  );
}
