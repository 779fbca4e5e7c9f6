// The back-test as plain-text tables, for `npm run backtest` (pure).
import { formatCount, formatMoney } from "@/lib/format";
import type { BacktestReport } from "./report";
import { flaggedPhrase, formatRate, ruleLabel, SWEEP_COLUMNS, sweepCells } from "./wording";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Columns padded to their widest cell, separated by two spaces. */
function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

export function backtestText(report: BacktestReport, currency: string, asOfSaid = ""): string {
  const money = (cents: number) => formatMoney(cents / 100, currency);
  // The window's last day: asOf itself is excluded, so the day before when asOf is a midnight.
  const lastDay = new Date(report.asOf.getTime() - 1);
  const lines: string[] = [
    `Back-test as of ${isoDay(report.asOf)}${asOfSaid}: deals closed from ${isoDay(report.from)} to ${isoDay(lastDay)} (${formatCount(report.windowDays)} days), replayed day by day as each rule would have seen them then.`,
  ];
  if (report.datesUnknown > 0)
    lines.push(
      `${formatCount(report.datesUnknown)} closed ${report.datesUnknown === 1 ? "deal has" : "deals have"} no opened date (date unknown): left out.`,
    );
  for (const group of report.groups) {
    lines.push(
      "",
      `== ${group.name}: ${formatCount(group.closedDeals)} closed deals, ${formatCount(group.won)} won (${formatRate(group.winRate)}) ==`,
    );
    if (group.belowMinSample) lines.push(`Fewer than ${report.minSample} closed deals: too few to trust these rates.`);
    for (const sweep of group.sweeps) {
      const current = sweep.thresholds.find((row) => row.current);
      lines.push(
        "",
        `${ruleLabel(sweep.rule)} (setting ${sweep.setting}${current ? `, set to ${flaggedPhrase(sweep.rule, current.threshold)}` : ""})`,
      );
      lines.push(
        ...table(
          SWEEP_COLUMNS,
          sweep.thresholds.map((row) => Object.values(sweepCells(sweep.rule, row, money))),
        ),
      );
    }
  }
  if (report.smallTeams.length > 0)
    lines.push(
      "",
      `Teams with fewer than ${report.minSample} closed deals (counted in the organisation only): ${report.smallTeams
        .map((team) => `${team.name} (${formatCount(team.closedDeals)})`)
        .join(", ")}.`,
    );
  return lines.join("\n");
}
