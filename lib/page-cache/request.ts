// The data version, read once per request (React's cache) and before
// anything the request reads: the session, the organisation's settings and
// the page's data are then all at least as new as it.
import "server-only";
import { cache } from "react";
import { readDataVersion } from "./data-version";

export const dataVersionOfThisRequest = cache(() => readDataVersion());
