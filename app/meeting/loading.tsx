export default function MeetingLoading() {
  return (
    <div className="flex min-h-screen flex-col bg-white text-slate-950">
      <div className="border-b-2 border-slate-900 px-4 py-2 text-2xl font-bold">Pipeline meeting</div>
      <p role="status" className="p-8 text-2xl">
        Preparing the meeting: adding up every rep&apos;s pipeline…
      </p>
    </div>
  );
}
