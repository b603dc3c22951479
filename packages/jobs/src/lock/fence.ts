import type { EntityManager } from '@timekeeper/db';
import type { JobLogger } from '../deps';
import type { Redis } from './redis';
import { staleFence } from './errors';

/** The Redis copy of a job's newest token, which fenced cache writes compare against (fenced-cache.ts). */
export const fenceKey = (jobKey: string) => `tk:fence:${jobKey}`;

/**
 * Issues the next fencing token for a job, from MySQL: one atomic statement on the job's fence row
 * (created on first use) that returns `greatest(issued, fence) + 1`. The row lock orders concurrent
 * issuers, so tokens are strictly increasing per job and no two holders ever get the same one,
 * whatever happens to Redis (crash without persistence, restart, failover, a quorum of masters).
 * Called right after the lock is acquired, so tokens grow in lock-acquisition order.
 */
export async function issueFence(em: EntityManager, jobKey: string): Promise<number> {
  const res = await em.execute<{ insertId: number }>(
    `insert into job_fences (job_key, fence, issued, commits, updated_at) values (?, 0, last_insert_id(1), 0, ?)
     on duplicate key update issued = last_insert_id(greatest(issued, fence) + 1), updated_at = values(updated_at)`,
    [jobKey, new Date()],
    'run',
  );
  const token = Number(res.insertId);
  if (!Number.isSafeInteger(token) || token < 1) throw new Error(`job_fences returned no token for ${jobKey}`);
  return token;
}

/** The last token issued for a job (0 if none): who the newest lock holder is. */
export async function lastIssuedFence(em: EntityManager, jobKey: string): Promise<number> {
  const rows = await em.execute<Array<{ issued: number }>>('select issued from job_fences where job_key = ?', [jobKey]);
  return Number(rows[0]?.issued ?? 0);
}

// Raises the Redis fence key to the token, never lowers it (a late raise by an older holder is a no-op).
const RAISE_FENCE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local token = tonumber(ARGV[1])
if current < token then redis.call('SET', KEYS[1], ARGV[1]) return token end
return current`;

type RaisingRedis = Redis & { tkRaiseFence(key: string, token: number): Promise<number> };

/** Sets the job's Redis fence key to max(current, token); returns the key's value afterwards. */
export async function raiseRedisFence(redis: Redis, jobKey: string, token: number): Promise<number> {
  const r = redis as RaisingRedis;
  if (typeof r.tkRaiseFence !== 'function') redis.defineCommand('tkRaiseFence', { numberOfKeys: 1, lua: RAISE_FENCE });
  return Number(await r.tkRaiseFence(fenceKey(jobKey), token));
}

/**
 * A new holder's token: issued in MySQL, then announced in Redis so older holders' fenced cache
 * writes are refused from now on. The announcement is best effort (a job that writes no cache must
 * not fail because the first Redis master is away): a fenced write that finds the key missing or
 * behind asks MySQL whether its token is still the newest (fenced-cache.ts).
 */
export async function drawFence(em: EntityManager, redis: Redis, jobKey: string, logger?: JobLogger): Promise<number> {
  const token = await issueFence(em, jobKey);
  try {
    await raiseRedisFence(redis, jobKey, token);
  } catch (err) {
    logger?.warn({ jobKey, fence: token, err }, 'could not raise the Redis fence key; fenced cache writes will confirm the token in MySQL');
  }
  return token;
}

/** Makes sure the job's fence row exists, so the fenced UPDATE below always has a row to match. */
export async function ensureFenceRow(em: EntityManager, jobKey: string): Promise<void> {
  await em.execute('insert ignore into job_fences (job_key, fence, issued, commits, updated_at) values (?, 0, 0, 0, ?)', [jobKey, new Date()], 'run');
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
