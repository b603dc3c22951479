import type { EntityManager } from '@timekeeper/db';
import type { Redis } from './redis';
import { staleFence } from './errors';

export const fenceKey = (jobKey: string) => `tk:fence:${jobKey}`;

/** Issues the next fencing token for a job. Called right after the lock is acquired. */
export async function issueFence(redis: Redis, jobKey: string): Promise<number> {
  return redis.incr(fenceKey(jobKey));
}

/** Makes sure the job's fence row exists, so the fenced UPDATE below always has a row to match. */
export async function ensureFenceRow(em: EntityManager, jobKey: string): Promise<void> {
  await em.execute('insert ignore into job_fences (job_key, fence, commits, updated_at) values (?, 0, 0, ?)', [jobKey, new Date()], 'run');
}

/**
 * Checks and advances the job's fence inside an effect transaction. The row lock it takes orders
 * concurrent committers; a holder whose token is below the last committed one matches no row and
 * is rejected with a non-retryable StaleFence failure, so its transaction rolls back.
 */
export async function advanceFence(tx: EntityManager, jobKey: string, fence: number): Promise<void> {
  const res = await tx.execute<{ affectedRows: number }>(
    'update job_fences set fence = ?, commits = commits + 1, updated_at = ? where job_key = ? and fence <= ?',
    [fence, new Date(), jobKey, fence],
    'run',
  );
  if (res.affectedRows === 0) throw staleFence(jobKey, fence);
}
