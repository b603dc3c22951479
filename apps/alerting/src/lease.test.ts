import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './testing/harness';

// Two alerting instances on one lease: one works, the other stands by; no alert is raised twice; when
// the active one dies without releasing, the standby takes over within 10 s.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('lease');
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

let nextSlot = Date.parse('2026-01-01T00:00:00Z');
const failingRun = async (key: string) => {
  nextSlot += 60_000; // a slot of its own each, so each failure is its own alert
  const { handle } = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'non-retryable' }, { slot: new Date(nextSlot) });
  await handle.result().catch(() => undefined);
};

describe('lease', () => {
  it('runs one active instance, never doubles an alert, and fails over within 10 s', async () => {
    const lease = { ALERTING_LEASE_TTL_MS: '6000', ALERTING_LEASE_RENEW_MS: '1000' };
    const a = h.startService(lease);
    const b = h.startService(lease);
    await eventually(() => a.active || b.active, 10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect([a.active, b.active].filter(Boolean)).toHaveLength(1);

    const key = 'lease-job';
    await h.createJob(key, { schedule: false });
    for (let i = 0; i < 3; i++) await failingRun(key);
    const alertCount = async () => Number((await h.sql<Array<{ n: number }>>('select count(*) n from alerts where job_key = ?', [key]))[0].n);
    await eventually(async () => (await alertCount()) === 3, 15_000);

    const [active, standby] = a.active ? [a, b] : [b, a];
    const killedAt = Date.now();
    await active.kill();
    await eventually(() => standby.active, 12_000, 50);
    const failover = Date.now() - killedAt;
    expect(failover).toBeLessThan(10_000);

    await failingRun(key);
    await eventually(async () => (await alertCount()) === 4, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const rows = await h.sql<Array<{ count: number }>>('select count from alerts where job_key = ?', [key]);
    expect(rows.map((r) => r.count)).toEqual([1, 1, 1, 1]);
    const events = await h.sql<Array<{ n: number }>>('select count(*) n from outbox where topic = ?', [h.topics.alerts]);
    expect(Number(events[0].n)).toBe(4);
    const stream = (await h.stream()).filter((e) => e.event === 'alert');
    expect(stream).toHaveLength(4);
  }, 90_000);
});
