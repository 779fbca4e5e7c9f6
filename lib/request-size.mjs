// The one size limit for a request body that goes through the proxy (pages
// and server actions), shared by proxy.ts and next.config.js so they agree.
// Plain JavaScript because next.config.js loads it.
//
// Server actions carry forms and bulk selections: a few kilobytes, a few
// hundred kilobytes for a bulk action on thousands of deals. CSV files do not
// come this way: the import page streams them to /api/import (outside the
// proxy, no size limit), so a 100,000-row export still imports.

export const REQUEST_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
export const REQUEST_BODY_LIMIT_TEXT = "4 MB";
