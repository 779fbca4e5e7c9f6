// The data-quality report (lib/import/quality.ts): in the import's preview
// (as the import would leave the database), after an import and on the
// admin's overview, so missing activities, stage history, amounts or teams
// are said plainly instead of showing up as surprising flags.
import { type DataQuality, describeDataQuality } from "@/lib/import/quality";

export function DataQualityReport({
  quality,
  title = "Data quality of the open deals",
}: {
  quality: DataQuality;
  /** The import's preview says it describes the database as the import would leave it. */
  title?: string;
}) {
  const [first, ...rest] = describeDataQuality(quality);
  const warning = quality.noActivitiesAtAll;
  return (
    <section
      aria-labelledby="data-quality-title"
      className={`mb-6 rounded-lg border p-4 text-sm ${warning ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white"}`}
      data-testid="data-quality"
    >
      <h2 id="data-quality-title" className="text-base font-semibold">
        {title}
      </h2>
      {warning ? <p className="mt-1 font-medium text-amber-950">{first}</p> : null}
      <ul className="mt-1 list-disc pl-5">
        {(warning ? rest : [first, ...rest]).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
