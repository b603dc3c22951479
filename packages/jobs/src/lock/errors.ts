import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';

export const STALE_FENCE = 'StaleFence';
export const LOCK_LOST = 'LockLost';
export const LOCK_BUSY = 'LockBusy';

/** A newer lock holder has committed: this holder's effects must not land. Never retried. */
export function staleFence(jobKey: string, fence: number): ApplicationFailure {
  return ApplicationFailure.create({
    message: `fence ${fence} for job ${jobKey} is stale: a newer lock holder has committed`,
    type: STALE_FENCE,
    nonRetryable: true,
  });
}

/** The lock could not be extended; the attempt stops at a chunk boundary and Temporal retries it. */
export function lockLost(jobKey: string, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ message: `lock for job ${jobKey} was lost: ${cause?.message ?? 'extension failed'}`, type: LOCK_LOST });
}

/**
 * What a LockBusy failure carries for the workflow: the attempt it ended (so attempts are not
 * consumed), why, and how many runs wait for the lock (so their retry timers spread out).
 */
export type LockBusyDetails = { attempt: number; waitedMs: number; reason: string; waiters?: number };

/**
 * The job's lock stayed taken for the whole bounded wait. Not retried by the activity's retry policy
 * (that would spend the definition's attempts and keep an activity slot busy): the runJob workflow
 * waits on a durable timer and calls the activity again (workflows/lock-busy.ts).
 */
export function lockBusy(jobKey: string, details: LockBusyDetails): ApplicationFailure {
  return ApplicationFailure.create({
    message: `lock for job ${jobKey} is busy (${details.reason}; waited ${details.waitedMs} ms)`,
    type: LOCK_BUSY,
    nonRetryable: true,
    details: [details],
    // Expected while a backfill queues up: the SDK logs it at DEBUG and leaves it out of failure metrics.
    category: ApplicationFailureCategory.BENIGN,
  });
}

export function isStaleFence(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === STALE_FENCE;
}
