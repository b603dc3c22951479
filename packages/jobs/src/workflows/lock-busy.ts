// Waiting for a busy job lock in the workflow, not inside an activity that would pin one of the
// worker's few activity slots (no Node built-ins: this runs in the sandbox).
import { ActivityFailure, ApplicationFailure, condition, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RetryPolicyMs } from '@timekeeper/contracts';
import { LOCK_BUSY, type LockBusyDetails } from '../lock/errors';
import { LOCK_FREED_SIGNAL } from '../lock/lock-freed';

/**
 * The retry timer after LockBusy, for when no release wakes the run (a holder killed before it could,
 * the waiters' set lost with Redis): doubled per busy round from `initialMs` up to `maxMs`, and at
 * least `perWaiterMs` per waiting run, so that all waiters of a job together retry about once a
 * second however many there are. Each wait gets ±50 % jitter.
 */
export const LOCK_BUSY_BACKOFF = { initialMs: 2_000, maxMs: 60_000, perWaiterMs: 1_000 } as const;
/** Time kept free before the run's deadline, so the verdict still lands. */
const DEADLINE_MARGIN_MS = 10_000;

const lockFreed = defineSignal(LOCK_FREED_SIGNAL);

function lockBusyOf(err: unknown): LockBusyDetails | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== LOCK_BUSY) return null;
  const details = (cause.details?.[0] ?? {}) as Partial<LockBusyDetails>;
  return { attempt: Number(details.attempt ?? 1), waitedMs: Number(details.waitedMs ?? 0), reason: String(details.reason ?? ''), waiters: Number(details.waiters ?? 1) };
}

/**
 * Calls the job activity until it gets past the lock. Each LockBusy ends that call; the workflow
 * waits until the holder's release wakes it (signal `lockFreed`) or its retry timer fires, then calls
 * again with the attempts the definition has left: the busy attempt itself is not counted, attempts
 * that failed for real before it are. Gives up with the last LockBusy failure (verdict `failed`, type
 * LockBusy) when the run's execution timeout is that close. Cancelling the workflow ends the wait at once.
 */
export async function callPastBusyLock<T>(
  retry: RetryPolicyMs,
  call: (maxAttempts: number, attemptOffset: number, afterLockBusy: boolean) => Promise<T>,
): Promise<T> {
  let freed = false;
  setHandler(lockFreed, () => void (freed = true));
  let used = 0;
  for (let round = 0; ; round++) {
    try {
      return await call(Math.max(1, retry.maxAttempts - used), used, round > 0);
    } catch (err) {
      const busy = lockBusyOf(err);
      if (!busy) throw err;
      // A LockBusy on attempt n means n - 1 attempts of this call failed for real first.
      used += Math.max(0, busy.attempt - used - 1);
      const backoff = Math.min(LOCK_BUSY_BACKOFF.maxMs, LOCK_BUSY_BACKOFF.initialMs * 2 ** Math.min(round, 20));
      const waitMs = Math.round(Math.max(backoff, (busy.waiters ?? 1) * LOCK_BUSY_BACKOFF.perWaiterMs) * (0.5 + Math.random()));
      const expires = workflowInfo().executionExpirationTime?.getTime();
      const left = expires === undefined ? Infinity : expires - Date.now() - DEADLINE_MARGIN_MS;
      if (left <= 0) throw err;
      // A wake-up that came while the call was still failing counts: the lock is likely free now.
      await condition(() => freed, Math.min(waitMs, left));
      freed = false;
    }
  }
}
