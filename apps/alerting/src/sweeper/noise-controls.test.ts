import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { putAlertPolicy } from '@timekeeper/db';
import { createHarness, eventually, type Harness } from '../testing/harness';

// Noise controls (issue 14 #2) on real Temporal, MariaDB, Redis and Kafka: failure and recovery
// thresholds, severity per kind, realert until acknowledged. Every slot keeps its own verdict.
let h: Harness;

beforeAll(async () => {
  h = await createHarness('noise_controls');
  await h.startWorker();
  h.startService();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

type AlertRow = { id: number; slot: string; kind: string; severity: string; status: string; recovered_at: string | null; details: string | Record<string, unknown> };
const alertsOf = (jobKey: string) => h.sql<AlertRow[]>('select id, slot, kind, severity, status, recovered_at, details from alerts where job_key = ? order by slot, id', [jobKey]);
const iso = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const FAIL = { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'non-retryable' };
const OK = { chunks: 1, chunkMs: 10 };

/** Runs one slot to its end and waits until the reporter has reported it. */
async function run(key: string, slot: Date, params: Record<string, unknown>): Promise<void> {
  const { handle } = await h.startRun(key, params, { slot });
  await handle.result().catch(() => undefined);
  await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and nominal_time = ? and status <> 'running' and report_pending = 0", [key, slot])).length === 1, 20_000);
}
const statuses = async (key: string) => (await h.sql<Array<{ status: string }>>('select status from job_slots where job_key = ? order by nominal_time', [key])).map((r) => r.status);
const policy = (key: string, settings: Record<string, unknown>) => putAlertPolicy(h.orm.em.fork(), { scope: 'job', target: key, settings, actor: 'test' });

describe('failure and recovery thresholds', () => {
  it('thresholds 3/2 raise on the third consecutive failure and recover on the second success; each slot keeps its verdict', async () => {
    const key = 'noise-thresholds';
    await h.createJob(key, { schedule: false });
    await policy(key, { failureThreshold: 3, recoveryThreshold: 2 });
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    const slot = (i: number) => new Date(t0 + i * 60_000);
    await run(key, slot(0), FAIL);
    await run(key, slot(1), FAIL);
    expect(await alertsOf(key)).toEqual([]);
    await run(key, slot(2), FAIL);
    const [alert] = await alertsOf(key);
    expect(alert).toMatchObject({ slot: iso(slot(2)), kind: 'failed', status: 'open', recovered_at: null });
    expect(typeof alert.details === 'string' ? JSON.parse(alert.details) : alert.details).toMatchObject({ consecutiveFailures: 3 });
    await run(key, slot(3), FAIL); // a fourth failure past the threshold alerts at once
    expect((await alertsOf(key)).map((a) => a.slot)).toEqual([iso(slot(2)), iso(slot(3))]);

    await run(key, slot(4), OK);
    expect((await alertsOf(key)).every((a) => a.recovered_at === null)).toBe(true);
    await run(key, slot(5), OK);
    const after = await alertsOf(key);
    expect(after.map((a) => [a.slot, a.status, a.recovered_at !== null])).toEqual([
      [iso(slot(2)), 'open', true],
      [iso(slot(3)), 'open', true],
    ]);
    const recovered = async () =>
      (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === key && (e.data as AlertEvent).type === 'alert.recovered');
    await eventually(async () => (await recovered()).length >= 2, 10_000);
    expect(await recovered()).toHaveLength(2);
    expect(await statuses(key)).toEqual(['failed', 'failed', 'failed', 'failed', 'succeeded', 'succeeded']);

    // A success that ends a streak early resets it: two failures then alert nothing again.
    await run(key, slot(6), FAIL);
    await run(key, slot(7), FAIL);
    expect(await alertsOf(key)).toHaveLength(2);
  }, 90_000);

  it('a verdict reported out of order completes the streak: the later failed slot it reaches is raised', async () => {
    const key = 'noise-out-of-order';
    await h.createJob(key, { schedule: false });
    await policy(key, { failureThreshold: 2 });
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    const early = new Date(t0);
    const late = new Date(t0 + 60_000);
    await run(key, late, FAIL); // judged first: a streak of one
    expect(await alertsOf(key)).toEqual([]);
    await run(key, early, FAIL); // the earlier slot fails later: now two in a row
    const alerts = await alertsOf(key);
    expect(alerts.map((a) => a.slot)).toEqual([iso(late)]);
  }, 60_000);
});

describe('severity and realert', () => {
  it('severity per kind comes from the policy; an open critical alert repeats every realertInterval until acknowledged', async () => {
    const quiet = 'noise-severity';
    const loud = 'noise-realert';
    await h.createJob(quiet, { schedule: false });
    await h.createJob(loud, { schedule: false });
    await policy(quiet, { severity: { failed: 'warning' }, realertInterval: '1s' });
    await policy(loud, { realertInterval: '1s' });
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await run(quiet, slot, FAIL);
    await run(loud, slot, FAIL);
    expect((await alertsOf(quiet)).map((a) => a.severity)).toEqual(['warning']);
    const [alert] = await alertsOf(loud);
    expect(alert.severity).toBe('critical');

    const realerts = async (jobKey: string) =>
      (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === jobKey && (e.data as AlertEvent).type === 'alert.realerted');
    await eventually(async () => (await realerts(loud)).length >= 2, 15_000);
    const gap = (await realerts(loud)).map((e) => Date.parse((e.data as AlertEvent).at));
    expect(gap[1] - gap[0]).toBeGreaterThanOrEqual(1_000);

    await h.sql("update alerts set status = 'acknowledged' where id = ?", [alert.id]);
    const seen = (await realerts(loud)).length;
    // A control alert (warning: never repeated) and another critical one that keeps repeating prove passes ran.
    const control = 'noise-control';
    await h.createJob(control, { schedule: false });
    await policy(control, { realertInterval: '1s' });
    await run(control, slot, FAIL);
    await eventually(async () => (await realerts(control)).length >= 2, 15_000);
    expect((await realerts(loud)).length).toBeLessThanOrEqual(seen + 1); // one may have been in flight at the ack
    expect(await realerts(quiet)).toEqual([]);
  }, 90_000);
});
