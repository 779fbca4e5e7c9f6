// Where a review's time goes: each step of runReview timed (wall clock and
// this process's CPU, which on PGlite includes the database's work) when the
// caller asks — the bench prints the breakdown per daily review. Nothing is
// recorded, and nothing costs anything, when no one listens.

export interface PhaseTime {
  phase: string;
  ms: number;
  cpuMs: number;
}

export type PhaseListener = (time: PhaseTime) => void;

/** Runs `step`, telling the listener (if any) how long it took under `phase`. */
export function phaseTimer(listener: PhaseListener | undefined) {
  return async <T>(phase: string, step: () => Promise<T>): Promise<T> => {
    if (!listener) return step();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await step();
    const used = process.cpuUsage(cpu);
    listener({ phase, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
    return result;
  };
}
