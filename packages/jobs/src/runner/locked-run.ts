import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { JobDeps } from '../deps';
import { LOCK_BUSY, lockBusy, type LockBusyDetails } from '../lock/errors';
import { withJobLock, type JobLockOptions } from '../lock/job-lock';
import { LOCK_FREED_SIGNAL } from '../lock/lock-freed';
import { addLockWaiter, removeLockWaiter, wakeNextLockWaiter } from '../lock/lock-waiters';
import type { JobActivityInput } from './types';

const isLockBusy = (err: unknown) => err instanceof ApplicationFailure && err.type === LOCK_BUSY;

/**
 * Runs `routine` under the job's lock with the wait protocol around it: a bounded try (LockBusy
 * when it stays taken; the workflow then waits on a timer, see workflows/lock-busy.ts), after which
 * the run registers as a waiter and tries once more, so a release in between is not missed. The
 * holder leaves the waiters' set when it gets the lock, and after releasing it wakes the waiting run
 * with the oldest slot (a Temporal signal), so the next holder starts without waiting out its timer.
 */
export async function runLocked<T>(
  deps: JobDeps,
  input: JobActivityInput,
  ctx: Context | null,
  opts: Omit<JobLockOptions, 'maxWaitMs' | 'logger'>,
  routine: (signal: AbortSignal, waitedMs: number) => Promise<T>,
): Promise<T> {
  const log = deps.logger;
  let held = false;
  const locked = (maxWaitMs: number) =>
    withJobLock(deps.redlock, input.jobKey, { ...opts, maxWaitMs, logger: log }, async (signal, waitedMs) => {
      held = true;
      await removeLockWaiter(deps.redis, input.jobKey, input.workflowId).catch(() => undefined);
      return routine(signal, waitedMs);
    });
  try {
    try {
      return await locked(deps.lockMaxWaitMs ?? 0);
    } catch (err) {
      if (!isLockBusy(err) || !ctx) throw err;
      const waiters = await addLockWaiter(deps.redis, input.jobKey, input.workflowId, new Date(input.slot)).catch((e: unknown) => {
        log.warn({ jobKey: input.jobKey, err: e }, 'could not register as a lock waiter; the run retries on its timer');
        return undefined;
      });
      try {
        return await locked(0);
      } catch (again) {
        if (!isLockBusy(again)) throw again;
        const details = (again as ApplicationFailure).details?.[0] as LockBusyDetails;
        throw lockBusy(input.jobKey, { ...details, waiters });
      }
    }
  } finally {
    if (held && ctx) {
      await wakeNextLockWaiter(deps.redis, input.jobKey, (id) => ctx.client.workflow.getHandle(id).signal(LOCK_FREED_SIGNAL), log);
    }
  }
}
