// Chart colours, matched to the severity badges (components/ui/badge.tsx) and
// dark enough against white to be told apart; every series also has a name in
// the legend and a row in the table beside the chart.
export const CHART_COLOURS = {
  healthy: "#047857", // emerald-700
  atRisk: "#d97706", // amber-600
  stale: "#b91c1c", // red-700
  open: "#1d4ed8", // blue-700
  newPipeline: "#047857",
  won: "#6d28d9", // violet-700
  axis: "#475569", // slate-600
  grid: "#e2e8f0", // slate-200
} as const;
