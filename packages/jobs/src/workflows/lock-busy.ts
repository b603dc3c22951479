// Waiting for a busy job lock in the workflow, on durable timers, instead of inside an activity that
// would pin one of the worker's few activity slots (no Node built-ins: this runs in the sandbox).
import { ActivityFailure, ApplicationFailure, sleep, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicyMs } from '@timekeeper/contracts';
import { LOCK_BUSY, type LockBusyDetails } from '../lock/errors';

/** First wait after LockBusy, doubled per busy round up to the cap; each wait gets ±50 % jitter. */
export const LOCK_BUSY_BACKOFF = { initialMs: 1_000, maxMs: 15_000 } as const;
/** Time kept free before the run's deadline, so the verdict still lands. */
const DEADLINE_MARGIN_MS = 10_000;

function lockBusyOf(err: unknown): LockBusyDetails | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== LOCK_BUSY) return null;
  const details = cause.details?.[0] as Partial<LockBusyDetails> | undefined;
  return { attempt: Number(details?.attempt ?? 1), waitedMs: Number(details?.waitedMs ?? 0) };
}

/**
 * Calls the job activity until it gets past the lock. Each LockBusy ends that call; the workflow
 * sleeps (exponential backoff with jitter) and calls again with the attempts the definition has
 * left: the busy attempt itself is not counted, attempts that failed for real before it are. Gives
 * up with the last LockBusy failure (verdict `failed`, type LockBusy) when the next wait would run
 * into the run's execution timeout. Cancelling the workflow ends the wait at once.
 */
export async function callPastBusyLock<T>(retry: RetryPolicyMs, call: (maxAttempts: number, attemptOffset: number) => Promise<T>): Promise<T> {
  let used = 0;
  for (let round = 0; ; round++) {
    try {
      return await call(Math.max(1, retry.maxAttempts - used), used);
    } catch (err) {
      const busy = lockBusyOf(err);
      if (!busy) throw err;
      // A LockBusy on attempt n means n - 1 attempts of this call failed for real first.
      used += Math.max(0, busy.attempt - used - 1);
      const base = Math.min(LOCK_BUSY_BACKOFF.maxMs, LOCK_BUSY_BACKOFF.initialMs * 2 ** Math.min(round, 20));
      const waitMs = Math.round(base * (0.5 + Math.random()));
      const expires = workflowInfo().executionExpirationTime?.getTime();
      if (expires !== undefined && Date.now() + waitMs + DEADLINE_MARGIN_MS > expires) throw err;
      await sleep(waitMs);
    }
  }
}
