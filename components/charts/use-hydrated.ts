// True once React runs in the browser, false while the server renders. The
// overview's figures draw their number tables only in the browser, from the
// data their chart already needs: the page's HTML then carries each number
// once (in React's payload), not again as a server-rendered table (the 60 KB
// page budget, issue 13). The table is there as soon as the page is live,
// behind "Show the numbers" as before.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
