import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetails } from '@timekeeper/contracts';
import { putAlertPolicy } from '@timekeeper/db';
import type { AlertingService } from '../service';
import { createHarness, eventually, type Harness } from '../testing/harness';

// Duration baselines (issue 14 #1), end to end on real Temporal, MariaDB, Redis and Kafka: a job's
// succeeded runs give it p50/p95; a run far past them raises long_running once, with the baseline in
// its details; a success far under p50 raises too_fast; too few runs give no baseline at all.
let h: Harness;
let svc: AlertingService;

beforeAll(async () => {
  h = await createHarness('durations');
  await h.startWorker();
  svc = h.startService();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

type AlertRow = { id: number; kind: string; slot: string; count: number; status: string; details: AlertDetails | string; resolved_by: string | null };
const alertsOf = async (jobKey: string) =>
  (await h.sql<AlertRow[]>('select id, kind, slot, count, status, details, resolved_by from alerts where job_key = ? order by id', [jobKey])).map((a) => ({
    ...a,
    details: (typeof a.details === 'string' ? JSON.parse(a.details) : a.details) as AlertDetails,
  }));
const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** Runs of the job for distinct past slots, one after the other (runs of one job side by side fence each other out), each `chunkMs` long. */
async function runs(key: string, n: number, chunkMs: number, from: number): Promise<void> {
  for (let i = 0; i < n; i++) await (await h.startRun(key, { chunks: 1, chunkMs }, { slot: second(from + i * 1_000) })).handle.result();
}

describe('duration baselines', () => {
  it('no baseline until baselineMinRuns succeeded; then a 1 s job taking 6 s raises long_running once with the baseline', async () => {
    const key = 'dur-long';
    await h.createJob(key, { schedule: false });
    await putAlertPolicy(h.orm.em.fork(), { scope: 'job', target: key, settings: { baselineMinRuns: 4, longRunningFactor: 2 }, actor: 'test' });
    const base = Date.now() - 600_000;
    await runs(key, 3, 1_000, base);
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'succeeded' and report_pending = 0", [key])).length === 3);
    // A read of the book that began after the policy and the three verdicts were stored (not a cached one);
    // `before: now` computes the baseline afresh from the ledger.
    const after = svc.policies.reads.started;
    await eventually(() => svc.policies.reads.finished > after, 5_000);
    expect(await svc.policies.baseline(key, new Date())).toBeNull();
    await runs(key, 1, 1_000, base + 3_000);
    const baseline = await eventually(() => svc.policies.baseline(key), 5_000);
    expect(baseline.runs).toBe(4);
    expect(baseline.p50Ms).toBeGreaterThanOrEqual(1_000);
    expect(baseline.longRunningAfterMs).toBe(Math.round(2 * baseline.p95Ms));
    // No duration alert for the baseline runs themselves.
    expect((await alertsOf(key)).filter((a) => a.kind === 'long_running' || a.kind === 'too_fast')).toEqual([]);

    const slow = await h.startRun(key, { chunks: 1, chunkMs: 6_000 }, { slot: second(base + 10_000) });
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'long_running'), 20_000);
    expect(alert.slot).toBe(second(base + 10_000).toISOString().replace('T', ' ').replace('Z', ''));
    expect(alert.details.baseline).toEqual({ p50Ms: baseline.p50Ms, p95Ms: baseline.p95Ms, runs: 4 });
    expect(alert.details.thresholdMs).toBe(baseline.longRunningAfterMs);
    expect(alert.details.durationMs).toBeGreaterThan(baseline.longRunningAfterMs);
    await slow.handle.result();
    // The verdict ends the warning; it was raised once (several overdue passes saw the run).
    const resolved = await eventually(async () => (await alertsOf(key)).find((a) => a.id === alert.id && a.status === 'resolved'), 20_000);
    expect(resolved).toMatchObject({ count: 1, resolved_by: 'recovery' });
    expect((await alertsOf(key)).filter((a) => a.kind === 'long_running' || a.kind === 'overdue')).toHaveLength(1);
  }, 90_000);

  it('a run that suddenly succeeds in milliseconds raises too_fast with the baseline; a usual one does not', async () => {
    const key = 'dur-fast';
    await h.createJob(key, { schedule: false });
    await putAlertPolicy(h.orm.em.fork(), { scope: 'job', target: key, settings: { baselineMinRuns: 4, tooFastFraction: 0.5 }, actor: 'test' });
    const base = Date.now() - 600_000;
    await runs(key, 5, 1_000, base);
    const fast = await h.startRun(key, { chunks: 1, chunkMs: 1 }, { slot: second(base + 20_000) });
    await fast.handle.result();
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'too_fast'), 20_000);
    expect(alert.slot).toBe(second(base + 20_000).toISOString().replace('T', ' ').replace('Z', ''));
    expect(alert.details.baseline?.runs).toBe(5);
    expect(alert.details.durationMs).toBeLessThan(alert.details.thresholdMs!);
    expect(alert.details.thresholdMs).toBe(Math.floor(0.5 * alert.details.baseline!.p50Ms));
    // The fast run itself is left out of the baseline it is judged against; a usual run afterwards raises nothing.
    await runs(key, 1, 1_000, base + 30_000);
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'succeeded' and report_pending = 0", [key])).length === 7);
    expect((await alertsOf(key)).filter((a) => a.kind === 'too_fast')).toHaveLength(1);
  }, 60_000);
});
