import { CancelledFailure } from '@temporalio/common';
import Redlock, { ExecutionError, ResourceLockedError, type Lock } from 'redlock';
import type { JobLogger } from '../deps';
import { lockBusy, lockLost } from './errors';
import { lockKey } from './redlock';

export type JobLockOptions = {
  /** Lease length; the lease is extended while the holder may still work, then left to expire. */
  ttlMs: number;
  /** How long to keep trying to acquire before failing with LockBusy (0: one try). */
  maxWaitMs: number;
  /** The attempt number, carried by LockBusy so the workflow does not count that attempt. */
  attempt: number;
  /** Activity cancellation: ends the wait at once and stops extending the lease. */
  signal?: AbortSignal;
  /** Called between acquisition tries (the activity heartbeats there, for waits near its heartbeat timeout). */
  onWait?: () => void;
  /**
   * Asked before every extension: a reason to stop extending (the attempt is over as far as Temporal
   * is concerned), or null. When it answers, the routine's signal is aborted and the lease runs out.
   */
  stopReason?: () => string | null;
  logger: JobLogger;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why acquisition failed: the lock is held, or the Redis masters did not answer (names the error). */
async function whyNotAcquired(err: ExecutionError): Promise<string> {
  const stats = await Promise.all(err.attempts).catch(() => []);
  const errors = stats.flatMap((s) => [...s.votesAgainst.values()]);
  const other = errors.find((e) => !(e instanceof ResourceLockedError));
  return other ? `Redis quorum unavailable: ${other.message}` : 'held by another run';
}

/** Tries to acquire for up to `maxWaitMs`; throws LockBusy when the lock stays taken. */
async function acquire(redlock: Redlock, jobKey: string, opts: JobLockOptions): Promise<{ lock: Lock; waitedMs: number }> {
  const started = Date.now();
  for (let tryNo = 0; ; tryNo++) {
    try {
      const lock = await redlock.acquire([lockKey(jobKey)], opts.ttlMs);
      return { lock, waitedMs: Date.now() - started };
    } catch (err) {
      if (!(err instanceof ExecutionError)) throw err;
      const waitedMs = Date.now() - started;
      if (waitedMs >= opts.maxWaitMs) throw lockBusy(jobKey, { attempt: opts.attempt, waitedMs, reason: await whyNotAcquired(err) });
    }
    if (opts.signal?.aborted) throw new CancelledFailure('cancelled while waiting for the job lock');
    opts.onWait?.();
    await sleep(Math.min(opts.maxWaitMs - (Date.now() - started), 50 + tryNo * 25 + Math.random() * 50));
  }
}

/**
 * Runs `routine` while holding the job's redlock, with a bounded wait for it (LockBusy after
 * `maxWaitMs`). The lease is extended at a third of its length before expiry, but only while the
 * attempt may still run: once the activity is cancelled or `stopReason` answers (Temporal timed the
 * attempt out), extension stops and the lease expires within `ttlMs`, even if the routine is stuck.
 * The routine gets an abort signal (reason: LockLost) and must stop at its next boundary. A failed
 * release never replaces the routine's own outcome or error; it is logged and the lease expires.
 */
export async function withJobLock<T>(
  redlock: Redlock,
  jobKey: string,
  opts: JobLockOptions,
  routine: (signal: AbortSignal, waitedMs: number) => Promise<T>,
): Promise<T> {
  const { lock: first, waitedMs } = await acquire(redlock, jobKey, opts);
  let lock = first;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let settled = false;

  const stop = (cause: string) => {
    if (!abort.signal.aborted) abort.abort(lockLost(jobKey, new Error(cause)));
  };
  const onCancel = () => stop('the activity was cancelled; lease no longer extended');
  opts.signal?.addEventListener('abort', onCancel);

  // Extend with a third of the lease to spare, so a briefly busy event loop does not lose it.
  const margin = Math.max(200, Math.floor(opts.ttlMs / 3));
  const schedule = () => {
    timer = setTimeout(() => void extend(), Math.max(0, lock.expiration - Date.now() - margin));
  };
  const extend = async () => {
    if (settled || abort.signal.aborted) return;
    const reason = opts.stopReason?.();
    if (reason) return stop(`${reason}; lease no longer extended`);
    try {
      lock = await lock.extend(opts.ttlMs);
      if (!settled) schedule();
    } catch (err) {
      stop(`extension failed: ${(err as Error).message}`);
    }
  };
  schedule();

  try {
    return await routine(abort.signal, waitedMs);
  } finally {
    settled = true;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
    await lock.release().catch((err: unknown) => {
      opts.logger.warn({ jobKey, err }, 'job lock release failed (expired or taken); the lease expires on its own');
    });
  }
}
