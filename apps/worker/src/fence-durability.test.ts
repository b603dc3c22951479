import { seedDataset } from '@timekeeper/db';
import { advanceFence, drawFence, fencedSetMany, fenceKey, TOP_PRODUCTS_KEY } from '@timekeeper/jobs';
import { OwnRedisServer } from '@timekeeper/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

// Fencing tokens live in MySQL, so a Redis crash (SIGKILL, no persistence, restart empty) does not
// reset them: the next run succeeds with a higher token, and a stale holder stays refused in MySQL
// and in the fenced Redis cache, also once the Redis fence key itself has vanished.
let redis: OwnRedisServer;
let h: Harness;
const JOB = 'durable';

beforeAll(async () => {
  redis = await OwnRedisServer.start();
  h = await createHarness('fence_durability', { redisUrl: redis.url });
  await seedDataset(h.orm, { users: 200, orders: 1_000, products: 30, sessions: 0, now: new Date('2026-11-20T00:00:00Z'), seed: 5 });
  await h.startWorker();
}, 60_000);
afterAll(async () => {
  await h?.close();
  await redis?.kill();
}, 30_000);

/** SIGKILLs the suite's Redis, starts it again empty on the same port and waits until the client is back. */
async function crashRedis(): Promise<void> {
  await redis.kill('SIGKILL');
  await redis.start();
  await eventually(() => h.redis.ping().then((p) => p === 'PONG', () => false), 20_000, 50);
  expect(await h.redis.dbsize()).toBe(0);
}

const run = async (kind: 'synthetic' | 'cache-warming', slot: string, params: Record<string, unknown>) =>
  (await h.start(h.input(kind, params, { jobKey: JOB, slot }))).result();

const committedFence = async () => Number((await h.sql<Array<{ f: number }>>('select fence as f from job_fences where job_key = ?', [JOB]))[0].f);

describe('fencing tokens across a Redis crash', () => {
  it('a locked job runs on after SIGKILL of Redis with a higher fence; a stale holder stays refused', async () => {
    const fences: number[] = [];
    for (const hour of ['01', '02', '03']) {
      const summary = await run('synthetic', `2026-11-20T${hour}:00:00.000Z`, { chunks: 2, chunkMs: 10 });
      expect(summary.status).toBe('succeeded');
      fences.push(summary.result!.fence);
    }
    expect(fences[1]).toBeGreaterThan(fences[0]);
    expect(fences[2]).toBeGreaterThan(fences[1]);
    const warmed = await run('cache-warming', '2026-11-20T03:30:00.000Z', { topProducts: 5, vipProfiles: 0, ttlSeconds: 300 });
    expect(warmed.result!.fence).toBeGreaterThan(fences[2]);

    // A holder that drew its token and then stalled (its lease will lapse): the newest token for now.
    const em = h.orm.em.fork();
    const stale = await drawFence(em, h.redis, JOB);
    expect(stale).toBeGreaterThan(warmed.result!.fence);

    await crashRedis();

    // The next runs take the lock and a token above every earlier one, MySQL and cache alike.
    const after = await run('synthetic', '2026-11-20T04:00:00.000Z', { chunks: 2, chunkMs: 10 });
    expect(after.status).toBe('succeeded');
    expect(after.result!.fence).toBeGreaterThan(stale);
    const cache = await run('cache-warming', '2026-11-20T04:30:00.000Z', { topProducts: 5, vipProfiles: 0, ttlSeconds: 300 });
    expect(cache.result!.fence).toBeGreaterThan(after.result!.fence);
    const top = JSON.parse((await h.redis.get(TOP_PRODUCTS_KEY))!) as { slot: string };
    expect(top.slot).toBe('2026-11-20T04:30:00.000Z');
    expect(Number(await h.redis.get(fenceKey(JOB)))).toBe(cache.result!.fence);

    // The stalled holder wakes up: its commit and its cache write are both refused.
    const commit = em.transactional((tx) => advanceFence(tx, JOB, stale));
    await expect(commit).rejects.toMatchObject({ type: 'StaleFence', nonRetryable: true });
    await expect(fencedSetMany(h.redis, em, JOB, stale, [[TOP_PRODUCTS_KEY, 'stale']], 60)).rejects.toMatchObject({ type: 'StaleFence' });
    expect(await committedFence()).toBe(cache.result!.fence);

    // Redis crashes again: the fence key is gone too, and MySQL still tells the stale holder apart.
    await crashRedis();
    await expect(fencedSetMany(h.redis, em, JOB, stale, [[TOP_PRODUCTS_KEY, 'stale']], 60)).rejects.toMatchObject({ type: 'StaleFence' });
    expect(await h.redis.get(TOP_PRODUCTS_KEY)).toBeNull();
    const last = await run('cache-warming', '2026-11-20T05:00:00.000Z', { topProducts: 5, vipProfiles: 0, ttlSeconds: 300 });
    expect(last.result!.fence).toBeGreaterThan(cache.result!.fence);
    expect(JSON.parse((await h.redis.get(TOP_PRODUCTS_KEY))!)).toMatchObject({ slot: '2026-11-20T05:00:00.000Z' });

    // The newest holder itself, after a crash wiped the key: confirmed by MySQL, its write lands.
    await crashRedis();
    const newest = await drawFence(em, h.redis, JOB);
    await h.redis.del(fenceKey(JOB));
    expect(await fencedSetMany(h.redis, em, JOB, newest, [[TOP_PRODUCTS_KEY, 'newest']], 60)).toBe(1);
    expect(await h.redis.get(TOP_PRODUCTS_KEY)).toBe('newest');
  }, 120_000);
});
