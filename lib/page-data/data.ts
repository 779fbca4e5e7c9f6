// The cached data of the pages everyone keeps asking for: the organisation's
// context, the team overview (/), a rep's pipeline (/reps/[id]), "My deals"
// (/my) and the flagged deals (/deals). Each is
// read through the page cache (lib/page-cache) under the request's data
// version, keyed by who is looking, the as-of day and the page's filters —
// everything the data depends on besides the database.
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { getWhatChanged, type WhatChanged } from "@/lib/changes/data";
import { lastWeek } from "@/lib/changes/window";
import type { PipelineView } from "@/lib/deals/pipeline-view";
import { type FlaggedDealsPage, getFlaggedDealsPage } from "@/lib/deals/flagged-deals-data";
import type { FlaggedDealsView } from "@/lib/deals/flagged-view";
import { getMyDeals, type MyDeals } from "@/lib/deals/my-deals";
import { getRepPipeline, type RepPipeline } from "@/lib/deals/rep-pipeline";
import { getDataQualityFor } from "@/lib/import/data";
import type { DataQuality } from "@/lib/import/quality";
import { getOrgContext, type OrgContext } from "@/lib/org/data";
import { getTeamOverview, type TeamOverview } from "@/lib/overview/data";
import { hasAnyReview } from "@/lib/reviews/data";
import { utcDayNumber } from "@/lib/rules/days";
import { cachedPageData } from "@/lib/page-cache/page-cache";
import { dataVersionOfThisRequest } from "@/lib/page-cache/request";

/**
 * Who is looking, as far as the pages' data can tell: the person, their role
 * and team (an admin sees all, a manager their team, a rep their own deals;
 * the page also names them). A change of role or team is a write: a new version.
 */
export function viewerScopeKey(viewer: Viewer): string {
  return `${viewer.role}:${viewer.userId}:${viewer.teamId ?? ""}`;
}

/** The organisation's fixed date, or today's UTC day when it reads "as of now". */
export function asOfKey(org: Pick<OrgContext, "asOf" | "asOfFixed">): string {
  return org.asOfFixed ? org.asOf.toISOString() : `day ${utcDayNumber(org.asOf)}`;
}

/** getOrgContext() with its settings row cached; "as of now" is still this request's now. */
export async function getPageOrgContext(): Promise<OrgContext> {
  const version = await dataVersionOfThisRequest();
  const org = await cachedPageData("org", version, () => getOrgContext());
  return org.asOfFixed ? org : { ...org, asOf: new Date() };
}

export interface OverviewPageData {
  overview: TeamOverview;
  quality: DataQuality | null;
  changes: WhatChanged;
}

/** The team overview's figures, the data-quality report (admins) and what changed in the last 7 days. */
export async function getOverviewPageData(viewer: Viewer, org: OrgContext): Promise<OverviewPageData> {
  const version = await dataVersionOfThisRequest();
  return cachedPageData(`overview\u0000${viewerScopeKey(viewer)}\u0000${asOfKey(org)}`, version, async () => {
    const [overview, quality, changes] = await Promise.all([
      getTeamOverview(viewer, org),
      getDataQualityFor(viewer),
      getWhatChanged(viewer, lastWeek(org.asOf)),
    ]);
    return { overview, quality, changes };
  });
}

export interface RepPageData {
  /** Null: no such rep, or not the viewer's to see. */
  pipeline: RepPipeline | null;
  changes: WhatChanged | null;
}

/** A rep's pipeline in the chosen view, and what changed in it in the last 7 days. */
export async function getRepPageData(
  viewer: Viewer,
  repId: string,
  org: OrgContext,
  view: PipelineView,
): Promise<RepPageData> {
  const version = await dataVersionOfThisRequest();
  const key = `rep\u0000${viewerScopeKey(viewer)}\u0000${asOfKey(org)}\u0000${repId}\u0000${JSON.stringify(view)}`;
  return cachedPageData(key, version, async () => {
    const pipeline = await getRepPipeline(viewer, repId, org.asOf, view);
    if (!pipeline) return { pipeline: null, changes: null };
    const changes = await getWhatChanged(viewer, { ...lastWeek(org.asOf), repId: pipeline.rep.id });
    return { pipeline, changes };
  });
}

/**
 * "My deals": the viewer's own deals, or (managers, admins) a preview of a rep's
 * page with `?rep=`. Null when that rep is out of the viewer's scope.
 */
export async function getMyPageData(
  viewer: Viewer,
  org: OrgContext,
  previewRepId: string | null,
  order: "worst" | "longest",
): Promise<MyDeals | null> {
  const version = await dataVersionOfThisRequest();
  const key = `my\u0000${viewerScopeKey(viewer)}\u0000${asOfKey(org)}\u0000${previewRepId ?? ""}\u0000${order}`;
  return cachedPageData(key, version, () => getMyDeals(viewer, org.asOf, previewRepId, undefined, order));
}

export interface FlaggedDealsPageData {
  page: FlaggedDealsPage;
  /** Whether a review covered the viewer's scope (an admin: any review; a manager: one of their team). */
  reviewed: boolean;
}

/** The flagged deals in the viewer's scope, filtered and paged by the URL's view (managers and admins). */
export async function getFlaggedDealsPageData(
  viewer: Viewer,
  org: OrgContext,
  view: FlaggedDealsView,
): Promise<FlaggedDealsPageData> {
  const version = await dataVersionOfThisRequest();
  const key = `flagged\u0000${viewerScopeKey(viewer)}\u0000${asOfKey(org)}\u0000${JSON.stringify(view)}`;
  return cachedPageData(key, version, async () => {
    const [page, reviewed] = await Promise.all([
      getFlaggedDealsPage(viewer, org.asOf, view),
      hasAnyReview(undefined, viewer.role === "admin" ? null : viewer.teamId),
    ]);
    return { page, reviewed };
  });
}
