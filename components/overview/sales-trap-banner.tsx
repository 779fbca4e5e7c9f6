// "The sales trap": a team closing a big period while its pipeline and
// new-deal creation shrink. Shown above everything else while the flag is current.
import type { SalesTrapWarning } from "@/lib/overview/data";

export function SalesTrapBanner({ warnings }: { warnings: SalesTrapWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section
      aria-labelledby="sales-trap-title"
      className="mb-6 rounded-lg border-l-4 border-orange-600 bg-orange-50 p-4 text-orange-950"
      data-testid="sales-trap-banner"
    >
      <h2 id="sales-trap-title" className="font-semibold">
        <span aria-hidden="true">⚠ </span>Warning: the sales trap
      </h2>
      <p className="mt-1 text-sm">
        Winning big now while the pipeline and new deals shrink means a weak quarter ahead. Pipeline should be stable or
        growing.
      </p>
      <ul className="mt-2 space-y-1 text-sm">
        {warnings.map((warning) => (
          <li key={warning.teamName}>
            <strong>{warning.teamName}:</strong> {warning.explanation}
          </li>
        ))}
      </ul>
    </section>
  );
}
