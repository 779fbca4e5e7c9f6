// The bar above a deal table that says what is selected and offers the bulk
// actions (each opens BulkActionDialog). Shared by a rep's pipeline and the
// flagged-deals page so both say and offer the same.
import { Button } from "@/components/ui/button";
import { formatCount, formatMoney } from "@/lib/format";
import type { BulkAction } from "./bulk-action-dialog";
import { centsToMoney } from "./money";

export function BulkActionsToolbar({
  selected,
  currency,
  onAction,
  onClear,
}: {
  selected: readonly { amountCents: number }[];
  currency: string;
  onAction: (action: BulkAction) => void;
  onClear: () => void;
}) {
  return (
    <div
      className="mb-2 flex min-h-10 flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5"
      aria-label="Bulk actions"
      role="toolbar"
    >
      <span className="text-sm text-slate-700" data-testid="selection-count">
        {selected.length === 0
          ? "Select deals to move them back, return them to prospecting or remove them together."
          : `${formatCount(selected.length)} selected · ${formatMoney(
              centsToMoney(selected.reduce((sum, deal) => sum + deal.amountCents, 0)),
              currency,
            )}`}
      </span>
      {selected.length > 0 ? (
        <span className="ml-auto flex flex-wrap gap-2">
          <Button onClick={() => onAction("move_back")}>Move back a stage…</Button>
          <Button onClick={() => onAction("return_to_prospecting")}>Return to prospecting…</Button>
          <Button variant="danger" onClick={() => onAction("remove")}>
            Remove from pipeline…
          </Button>
          <Button variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        </span>
      ) : null}
    </div>
  );
}
