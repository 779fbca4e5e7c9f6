"use client";
// The meeting on a shared screen: one screen at a time, driven from the
// keyboard. → / PageDown next, ← / PageUp back, Home / End first / last, Esc
// leaves (or cancels an open prompt), F full screen. On a rep's screen ↑ / ↓
// choose a deal and K / B / P / R open a one-line prompt for the decision.
//
// Screen changes are announced to screen readers and move focus to the
// screen's heading; the current screen is kept in the URL hash (#3) so a
// reload comes back to it.
//
// The page brings the first reps' deals; the others' are loaded as their
// screen comes near (the current screen and the next two reps), so → stays
// instant on a small team and a team of 200 reps never loads every deal.
//
// A rep's deals are cut into screens by what fits: the server estimates it,
// the rep screen measures its rows (onFit) and the deck re-cuts that rep's
// screens (lib/meeting/fit.ts), so "Screen 4 of 12" may become "of 13" when a
// rep's long rows need a continued screen.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { loadMeetingRepDealsAction } from "@/lib/meeting/actions";
import { fitMeetingScreens, fitRowsToScreens } from "@/lib/meeting/fit";
import type { DealRowView, MeetingScreen, RepScreen } from "@/lib/meeting/screens";
import { DecisionsScreenView } from "./decisions-screen";
import { RepScreenView } from "./rep-screen";
import { SummaryScreenView } from "./summary-screen";
import { DECISION_KEYS, type DecisionKind, type MeetingContext, type OpenPrompt } from "./types";

/** Rep screens ahead of the current one whose deals are loaded before they are reached. */
const LOAD_AHEAD_SCREENS = 3;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function screenFromHash(count: number): number {
  const match = /^#(\d+)$/.exec(window.location.hash);
  const screen = match ? Number(match[1]) - 1 : 0;
  return Math.min(Math.max(screen, 0), count - 1);
}

function sameSizes(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((size, index) => size === b[index]);
}

export function MeetingDeck({ screens: pageScreens, context }: { screens: MeetingScreen[]; context: MeetingContext }) {
  const router = useRouter();
  const [loadedDeals, setLoadedDeals] = useState<Record<string, DealRowView[]>>({});
  /** Rows a screen, per rep, once the rep's rows were measured. */
  const [sizesByRep, setSizesByRep] = useState<Record<string, number[]>>({});
  const screens = useMemo(
    () => fitMeetingScreens(pageScreens, loadedDeals, sizesByRep),
    [pageScreens, loadedDeals, sizesByRep],
  );
  const requested = useRef(new Set<string>());
  const [index, setIndex] = useState(0);
  const [rowByScreen, setRowByScreen] = useState<Record<string, number>>({});
  const [prompt, setPrompt] = useState<OpenPrompt | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const movedByKeyboard = useRef(false);

  const last = screens.length - 1;
  const current = Math.min(index, last);
  const screen = screens[current] as MeetingScreen;
  const focusedRow = rowByScreen[screen.key] ?? -1;

  const loadRepDeals = useCallback(async (repId: string) => {
    const result = await loadMeetingRepDealsAction({ repId });
    if (result.ok) setLoadedDeals((loaded) => ({ ...loaded, [repId]: result.data }));
    else {
      requested.current.delete(repId);
      setNotice(result.message);
    }
  }, []);

  // Load the deals of the rep on screen and of the next screens' reps, once each.
  useEffect(() => {
    for (const near of screens.slice(current, current + 1 + LOAD_AHEAD_SCREENS)) {
      if (near.kind !== "rep" || near.deals !== null || requested.current.has(near.repId)) continue;
      requested.current.add(near.repId);
      void loadRepDeals(near.repId);
    }
  }, [current, screens, loadRepDeals]);

  // Come back to the screen in the URL after a reload.
  useEffect(() => {
    const fromHash = screenFromHash(pageScreens.length);
    if (fromHash > 0) setIndex(fromHash);
    setReady(true);
  }, [pageScreens.length]);

  // The rep screen measured its rows: keep the screens before it as they are, and re-cut from it on.
  const laterRows = useMemo(
    () =>
      screen.kind === "rep"
        ? screens.flatMap((other) =>
            other.kind === "rep" && other.repId === screen.repId && other.page > screen.page ? (other.deals ?? []) : [],
          )
        : [],
    [screen, screens],
  );
  const fitRep = useCallback(
    (rowHeights: number[], room: number) => {
      if (screen.kind !== "rep" || screen.deals === null) return;
      const before = screens.flatMap((other) =>
        other.kind === "rep" && other.repId === screen.repId && other.page < screen.page
          ? [other.deals?.length ?? 0]
          : [],
      );
      const sizes = [...before, ...fitRowsToScreens(rowHeights, { first: room, continued: room })];
      setSizesByRep((known) => (sameSizes(known[screen.repId], sizes) ? known : { ...known, [screen.repId]: sizes }));
    },
    [screen, screens],
  );

  const goTo = useCallback(
    (target: number) => {
      const next = Math.min(Math.max(target, 0), last);
      setPrompt(null);
      setNotice(null);
      if (next === current) return;
      movedByKeyboard.current = true;
      setIndex(next);
      window.history.replaceState(null, "", `#${next + 1}`);
      const nextScreen = screens[next];
      setAnnouncement(`Screen ${next + 1} of ${screens.length}: ${nextScreen?.title ?? ""}`);
    },
    [current, last, screens],
  );

  // Focus follows the screen, so the heading is read and keys start from it.
  useEffect(() => {
    if (!movedByKeyboard.current) return;
    movedByKeyboard.current = false;
    headingRef.current?.focus();
  });

  const setFocusedRow = useCallback(
    (row: number) => setRowByScreen((rows) => ({ ...rows, [screen.key]: row })),
    [screen.key],
  );

  const openPrompt = useCallback(
    (kind: DecisionKind) => {
      if (screen.kind !== "rep") return;
      const deal = screen.deals?.[focusedRow];
      if (!deal) {
        setNotice("Choose a deal first: ↓ moves to the first deal.");
        return;
      }
      if (!deal.open) {
        setNotice(`“${deal.name}” has left the pipeline (${deal.status}); there is nothing more to decide here.`);
        return;
      }
      if (kind === "keep" && !context.canKeep) {
        setNotice("Only managers can keep a deal with a waiver.");
        return;
      }
      if (kind === "back" && !deal.previousStage) {
        setNotice(
          `“${deal.name}” is already in the first stage (${deal.stage}). Return it to prospecting with P instead.`,
        );
        return;
      }
      if (!context.reviewId) {
        setNotice("Run a review first: decisions are recorded against it.");
        return;
      }
      setNotice(null);
      setPrompt({ dealId: deal.dealId, kind });
    },
    [screen, focusedRow, context.canKeep, context.reviewId],
  );

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        event.preventDefault();
        if (prompt) {
          setPrompt(null);
          setAnnouncement("Decision cancelled.");
        } else {
          router.push(context.leaveHref);
        }
        return;
      }
      if (isEditable(event.target) || prompt) return;
      const key = event.key;
      if (key === "ArrowRight" || key === "PageDown") goTo(current + 1);
      else if (key === "ArrowLeft" || key === "PageUp") goTo(current - 1);
      else if (key === "Home") goTo(0);
      else if (key === "End") goTo(last);
      else if (key === "f" || key === "F") toggleFullScreen();
      else if (screen.kind === "rep" && (key === "ArrowDown" || key === "ArrowUp")) {
        const count = screen.deals?.length ?? 0;
        if (count === 0) return;
        const next = key === "ArrowDown" ? Math.min(focusedRow + 1, count - 1) : Math.max(focusedRow - 1, 0);
        setFocusedRow(next);
        setNotice(null);
      } else if (screen.kind === "rep" && DECISION_KEYS[key.toLowerCase()]) {
        openPrompt(DECISION_KEYS[key.toLowerCase()] as DecisionKind);
      } else return;
      event.preventDefault();
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [prompt, router, goTo, current, last, screen, focusedRow, setFocusedRow, openPrompt, context.leaveHref]);

  const hint =
    screen.kind === "rep"
      ? "↑↓ deal · K keep · B back · P prospecting · R remove"
      : screen.kind === "summary" && screens.length > 1
        ? "→ to start"
        : null;

  return (
    // Exactly the viewport's height: a rep screen's deal list gets the room left over, which is what it measures.
    <div className="flex h-dvh flex-col bg-white text-slate-950" data-meeting-ready={ready}>
      <header className="flex items-center gap-4 border-b-2 border-slate-900 px-4 py-1">
        <div className="min-w-0 flex-1">
          <h1
            ref={headingRef}
            id="meeting-screen-title"
            tabIndex={-1}
            className="inline-block max-w-full truncate align-bottom text-2xl font-bold focus-visible:outline-offset-2"
            data-testid="meeting-screen-title"
          >
            {screen.title}
            {screen.kind === "rep" && screen.team ? (
              <span className="ml-3 text-lg font-normal text-slate-700">{screen.team}</span>
            ) : null}
          </h1>
        </div>
        <p className="shrink-0 text-base text-slate-800" data-testid="meeting-hint">
          <span className="font-semibold">
            Screen {current + 1} of {screens.length}
          </span>{" "}
          · → next · ← back · Esc leave{hint ? <span className="sr-only"> · {hint}</span> : null}
        </p>
        <nav aria-label="Meeting screens" className="flex shrink-0 items-center gap-2">
          <button
            type="button"
            onClick={() => goTo(current - 1)}
            disabled={current === 0}
            className="rounded-md border-2 border-slate-900 px-3 py-0.5 text-base font-semibold disabled:border-slate-300 disabled:text-slate-400"
          >
            ← Previous
          </button>
          <button
            type="button"
            onClick={() => goTo(current + 1)}
            disabled={current === last}
            className="rounded-md border-2 border-blue-800 bg-blue-800 px-3 py-0.5 text-base font-semibold text-white disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-500"
          >
            Next →
          </button>
          <Link
            href={context.leaveHref}
            className="rounded-md px-2 py-1 text-base font-semibold text-slate-900 underline"
          >
            Leave
          </Link>
        </nav>
      </header>
      {/* Screen changes and decisions, read out by screen readers. */}
      <p aria-live="polite" role="status" className="sr-only" data-testid="meeting-announcement">
        {announcement}
      </p>
      {/* A summary or decisions screen taller than a small viewport scrolls here rather than being cut. */}
      <main
        className="flex min-h-0 flex-1 flex-col overflow-y-auto px-4 pt-2 pb-2"
        aria-labelledby="meeting-screen-title"
      >
        {screen.kind === "summary" ? (
          <SummaryScreenView screen={screen} context={context} nextTitle={screens[1]?.title ?? null} />
        ) : screen.kind === "rep" ? (
          <RepScreenView
            key={screen.key}
            screen={screen as RepScreen}
            context={context}
            focusedRow={focusedRow}
            onFocusRow={setFocusedRow}
            prompt={prompt}
            onOpenPrompt={openPrompt}
            onClosePrompt={(message, decided) => {
              setPrompt(null);
              setAnnouncement(message);
              // Rows loaded on demand are not in the page the decision refreshes: load them again.
              if (decided && loadedDeals[screen.repId]) void loadRepDeals(screen.repId);
            }}
            notice={notice}
            laterRows={laterRows}
            onFit={fitRep}
            fitted={
              screen.deals !== null &&
              (screen.deals.length === 0 ||
                (sizesByRep[screen.repId]?.reduce((sum, size) => sum + size, 0) ?? -1) === screen.totalRows)
            }
          />
        ) : (
          <DecisionsScreenView screen={screen} />
        )}
      </main>
    </div>
  );
}

function toggleFullScreen() {
  if (document.fullscreenElement) void document.exitFullscreen();
  else void document.documentElement.requestFullscreen?.().catch(() => undefined);
}
