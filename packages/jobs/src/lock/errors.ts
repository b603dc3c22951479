import { ApplicationFailure } from '@temporalio/common';

export const STALE_FENCE = 'StaleFence';
export const LOCK_LOST = 'LockLost';

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

export function isStaleFence(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === STALE_FENCE;
}
