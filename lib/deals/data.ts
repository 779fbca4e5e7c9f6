// lib/deals/data.ts used to hold every read of the deal screens (1,300 lines).
// It is now split by job; this file only re-exports the moved names for one
// release so branches written against the old path still compile. New code
// imports from the module that does the job:
//   deal-row-view.ts       the shape of a deal row and its shared labels (no server code)
//   deal-rows.ts           reading and shaping open deals into rows
//   team-cycle.ts          the average cycle a team's deals are measured against
//   pipeline-view.ts       a deal list's filters and sort from the URL
//   rep-pipeline.ts        /reps/[id]
//   flagged-deals-list.ts  flagged deals across the viewer's scope (CSV, /deals)
//   deal-timeline.ts       /deals/[id]
//   my-deals.ts            /my
// TODO(next release): remove once nothing imports "@/lib/deals/data".
import "server-only";

export {
  type DealFlagView,
  type DealRowView,
  ruleLabel,
  SEVERITIES,
  type StageOption,
  type WaiverView,
} from "./deal-row-view";
export { activeStages, dealRowSelect, toDealRow, userNames } from "./deal-rows";
export {
  type DealTimeline,
  getDealTimeline,
  type SuppressedFlagView,
  type TimelineEvent,
  buildTimeline,
} from "./deal-timeline";
export { type FlaggedDealRow, listFlaggedDeals } from "./flagged-deals-list";
export { getMyDeals, type MyDeals } from "./my-deals";
export {
  DEFAULT_PIPELINE_VIEW,
  PIPELINE_SORT_KEYS,
  type PipelineSortKey,
  type PipelineView,
  parsePipelineView,
  pipelineViewIsFiltered,
  sortDeals,
} from "./pipeline-view";
export { getRepPipeline, type QuotaCoverage, type RepPipeline, type RepPipelineSummary } from "./rep-pipeline";
export { type CycleInUse, cycleDaysForTeams, type LatestReview } from "./team-cycle";
