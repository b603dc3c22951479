import type { Context } from '@temporalio/activity';

/**
 * What this process knows about when Temporal ends the current attempt, without asking the server:
 * at start + start-to-close, or once heartbeats have been silent
 * for the heartbeat timeout, or on cancellation. A step stuck in a query heartbeats no more, so the
 * server times the attempt out without telling us; these bounds let the lock stop extending anyway.
 */
export type AttemptBounds = {
  /** Call on every heartbeat (the runner's heartbeat does). */
  beat(): void;
  /** Why the attempt is over, or null while it may still run. */
  endedBecause(): string | null;
  /** Time left before the attempt's deadline (Infinity outside an activity). */
  remainingMs(): number;
};

export function attemptBounds(ctx: Context | null): AttemptBounds {
  const started = Date.now();
  let lastBeat = started;
  if (!ctx) return { beat: () => undefined, endedBecause: () => null, remainingMs: () => Infinity };
  const { startToCloseTimeoutMs, heartbeatTimeoutMs } = ctx.info;
  // Measured on this process's clock from when it started the attempt (runJob sets no
  // schedule-to-close): Temporal's own deadline is at most the task's dispatch latency earlier.
  const deadline = startToCloseTimeoutMs > 0 ? started + startToCloseTimeoutMs : Infinity;
  return {
    beat: () => void (lastBeat = Date.now()),
    remainingMs: () => deadline - Date.now(),
    endedBecause() {
      if (ctx.cancellationSignal.aborted) return 'the activity was cancelled';
      const now = Date.now();
      if (now >= deadline) return 'the attempt passed its start-to-close deadline';
      if (heartbeatTimeoutMs && now - lastBeat > heartbeatTimeoutMs) return `no heartbeat for ${now - lastBeat} ms (timeout ${heartbeatTimeoutMs} ms)`;
      return null;
    },
  };
}
