import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import Redlock, { ExecutionError, type RedlockAbortSignal } from 'redlock';
import type { Redis } from './redis';

export const lockKey = (jobKey: string) => `tk:lock:${jobKey}`;

/** Redlock over one or more independent Redis masters (a quorum when several). */
export function createRedlock(clients: Redis[]): Redlock {
  // Acquisition is retried by withJobLock, which heartbeats and honours cancellation between tries.
  return new Redlock(clients, { retryCount: 0, driftFactor: 0.01, automaticExtensionThreshold: 500 });
}

export type LockWaitOptions = {
  ttlMs: number;
  /** Called between acquisition tries (the activity heartbeats there). */
  onWait?: () => void;
  /** Aborts the wait (activity cancellation). */
  signal?: AbortSignal;
  /** Gives up waiting after this long (default: forever, bounded by the activity's own timeouts). */
  maxWaitMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `routine` while holding the job's redlock, auto-extended by redlock's `using`. The routine
 * gets the lock's abort signal (set when an extension fails) and must stop when it is aborted.
 * Returns how long acquisition took along with the routine's value.
 */
export async function withJobLock<T>(
  redlock: Redlock,
  jobKey: string,
  opts: LockWaitOptions,
  routine: (signal: RedlockAbortSignal) => Promise<T>,
): Promise<{ value: T; waitedMs: number }> {
  const started = Date.now();
  // Extend well before expiry so a briefly busy event loop does not lose the lease.
  const threshold = Math.max(500, Math.min(Math.floor(opts.ttlMs / 3), opts.ttlMs - 200));
  for (let attempt = 0; ; attempt++) {
    let entered = false;
    let done = false;
    let value: T | undefined;
    let waitedMs = 0;
    try {
      await redlock.using([lockKey(jobKey)], opts.ttlMs, { automaticExtensionThreshold: threshold, retryCount: 0 }, async (signal) => {
        entered = true;
        waitedMs = Date.now() - started;
        value = await routine(signal);
        done = true;
      });
      return { value: value as T, waitedMs };
    } catch (err) {
      // A failed release after the routine finished changes nothing: the lease simply expires.
      if (done) return { value: value as T, waitedMs };
      if (entered || !(err instanceof ExecutionError)) throw err;
    }
    if (opts.signal?.aborted) throw new CancelledFailure('cancelled while waiting for the job lock');
    if (opts.maxWaitMs !== undefined && Date.now() - started > opts.maxWaitMs) {
      throw new Error(`job lock ${jobKey} not acquired within ${opts.maxWaitMs} ms`);
    }
    opts.onWait?.();
    await sleep(Math.min(1_000, 100 + attempt * 50) + Math.random() * 100);
  }
}

/** Heartbeats the current activity if there is one (tests call some helpers outside activities). */
export function heartbeatIfActivity(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity
  }
}
