// A rep's deals cut into screens that fit the projector: the rep screen
// measures each row's height in the browser (long names and explanations wrap,
// so rows differ) and the room its list has; these pure functions decide which
// rows go on which screen, and re-cut the deck's screens accordingly. Until a
// rep's rows are measured, the server's estimate stands (MEETING_DEALS_PER_SCREEN
// a screen), so the deck knows its screens before anything is drawn.
import type { DealRowView, MeetingScreen, RepScreen } from "./screens";
import { repScreenTitle } from "./screens";
import { dealsOnPage } from "./types";

/** Pixels the deal list has on the rep's first screen and on a continued one (the header row not included). */
export interface ScreenRoom {
  first: number;
  continued: number;
}

/**
 * How many rows each screen holds, filling each screen in order. A screen
 * always takes at least one row, so a row taller than a whole screen still
 * has one (the only case a row may not fit).
 */
export function fitRowsToScreens(rowHeights: readonly number[], room: ScreenRoom): number[] {
  if (rowHeights.length === 0) return [0];
  const sizes: number[] = [];
  let used = 0;
  let size = 0;
  for (const height of rowHeights) {
    const capacity = sizes.length === 0 ? room.first : room.continued;
    if (size > 0 && used + height > capacity) {
      sizes.push(size);
      used = 0;
      size = 0;
    }
    used += height;
    size += 1;
  }
  sizes.push(size);
  return sizes;
}

/** One rep's screens with these rows, `sizes` rows a screen (from fitRowsToScreens). */
function cutRepScreens(template: RepScreen, rows: DealRowView[], sizes: readonly number[]): RepScreen[] {
  let start = 0;
  return sizes.map((size, index) => {
    const screen: RepScreen = {
      ...template,
      key: `rep-${template.repId}-${index + 1}`,
      title: repScreenTitle(template.repName, index + 1, sizes.length),
      page: index + 1,
      pages: sizes.length,
      earlyLine: index === 0 ? template.earlyLine : null,
      firstRow: start + 1,
      totalRows: rows.length,
      deals: rows.slice(start, start + size),
    };
    start += size;
    return screen;
  });
}

/**
 * The deck's screens with each rep's rows in place: the rows loaded since the
 * page (`rowsByRep`) or those the page brought, cut by `sizesByRep` where the
 * rep's rows were measured (sizes adding up to the rows), else by the server's
 * estimate. Other screens pass through unchanged.
 */
export function fitMeetingScreens(
  screens: readonly MeetingScreen[],
  rowsByRep: Readonly<Record<string, DealRowView[]>>,
  sizesByRep: Readonly<Record<string, readonly number[]>>,
): MeetingScreen[] {
  const fitted: MeetingScreen[] = [];
  for (let index = 0; index < screens.length; ) {
    const screen = screens[index] as MeetingScreen;
    if (screen.kind !== "rep") {
      fitted.push(screen);
      index += 1;
      continue;
    }
    const group: RepScreen[] = [];
    while (index < screens.length) {
      const next = screens[index] as MeetingScreen;
      if (next.kind !== "rep" || next.repId !== screen.repId) break;
      group.push(next);
      index += 1;
    }
    const rows = rowsByRep[screen.repId] ?? (screen.deals === null ? null : group.flatMap((page) => page.deals ?? []));
    const sizes = sizesByRep[screen.repId];
    if (rows === null) fitted.push(...group);
    else if (sizes && sizes.reduce((sum, size) => sum + size, 0) === rows.length) {
      fitted.push(...cutRepScreens(screen, rows, sizes));
    } else fitted.push(...group.map((page) => ({ ...page, deals: dealsOnPage(rows, page.page, page.pages) })));
  }
  return fitted;
}
