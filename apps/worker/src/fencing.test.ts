import { seedDataset } from '@timekeeper/db';
import { advanceFence, drawFence, ensureFenceRow, lockKey, runChunkedJob, vipRecalculationJob, type JobActivityInput } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sleep, type Harness } from './test-support/harness';

// Kleppmann's scenario with the real lock, fence and VIP chunk code: holder A's lease expires, B takes
// the lock and commits, then A tries to commit with its old token.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('fencing');
  await seedDataset(h.orm, { users: 600, orders: 6_000, products: 50, sessions: 0, now: new Date('2026-11-20T00:00:00Z'), seed: 3 });
}, 60_000);
afterAll(async () => h?.close(), 30_000);

const count = async (sql: string, params: unknown[] = []) => Number((await h.sql<Array<{ n: number }>>(sql, params))[0].n);

describe('fencing', () => {
  it('rejects the commit of a holder whose lease expired after a newer holder committed', async () => {
    const jobKey = 'fence-vip';
    const input: JobActivityInput = {
      jobKey,
      kind: 'vip-recalculation',
      slot: '2026-11-20T03:00:00.000Z',
      params: { windowDays: 90, chunkSize: 1_000 },
      timezone: 'UTC',
      lock: { required: true, ttlMs: 2_000 },
      workflowId: 'test',
      runId: 'test',
    };
    const em = h.orm.em.fork();
    await ensureFenceRow(em, jobKey);
    await h.sql(
      "insert into job_slots (job_key, nominal_time, kind, status, created_at, updated_at) values (?, ?, 'vip-recalculation', 'running', now(3), now(3))",
      [jobKey, new Date(input.slot)],
    );

    // A takes the lock with a short lease and no extension (a long GC pause, say), and draws its token.
    const a = await h.redlock.acquire([lockKey(jobKey)], 500);
    const fenceA = await drawFence(em, h.redis, jobKey);
    await sleep(700);
    expect(await h.redis.exists(lockKey(jobKey))).toBe(0);

    // B acquires the expired lock, draws a newer token and runs the whole slot.
    const b = await runChunkedJob(h.deps, input, vipRecalculationJob(h.deps));
    expect(b.fence).toBeGreaterThan(fenceA);
    const changes = await count('select count(*) as n from tier_changes where job_key = ?', [jobKey]);
    const events = await count("select count(*) as n from outbox where json_value(payload, '$.jobKey') = ?", [jobKey]);
    expect(changes).toBeGreaterThan(0);
    expect(events).toBe(changes);

    // A wakes up and commits its chunk with the old token: rejected, rolled back, nothing duplicated.
    const step = vipRecalculationJob(h.deps).step;
    const commitA = em.transactional(async (tx) => {
      await advanceFence(tx, jobKey, fenceA);
      await step({ tx, cursor: null, chunk: 0, fence: fenceA, slot: new Date('2026-11-20T04:00:00.000Z'), input, heartbeat: () => undefined });
    });
    await expect(commitA).rejects.toMatchObject({ type: 'StaleFence', nonRetryable: true });
    expect(await count('select count(*) as n from tier_changes where job_key = ?', [jobKey])).toBe(changes);
    expect(await count("select count(*) as n from outbox where json_value(payload, '$.jobKey') = ?", [jobKey])).toBe(events);
    expect(Number((await h.sql<Array<{ f: number }>>('select fence as f from job_fences where job_key = ?', [jobKey]))[0].f)).toBe(b.fence);
    await a.release().catch(() => undefined);
  }, 60_000);
});
