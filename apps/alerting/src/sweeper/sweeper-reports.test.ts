import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { JobDefinition } from '@timekeeper/db';
import { createHarness, eventually, sleep, type Harness } from '../testing/harness';
import { alertRowsOf, slotRowOf, sqlTime } from '../testing/ledger-rows';

// What the ledger's verdicts become, against real Temporal, MariaDB, Redis and Kafka (issue 10): each slot
// reported once across an alerting outage; a success never makes an unrun slot fine; deleted jobs.
let h: Harness;

beforeAll(async () => {
  h = await createHarness('sweeper_reports');
  h.startService();
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const alertsOf = (jobKey: string) => alertRowsOf(h, jobKey);
const slotRow = async (jobKey: string, slot: Date) => (await slotRowOf(h, jobKey, slot))!;
const iso = sqlTime;
const second = (ms = Date.now()) => new Date(Math.floor(ms / 1000) * 1000);

describe('reports', () => {
  it('alerting stopped across several slots, then started, reports each slot of that window exactly once', async () => {
    const key = 'sweep-restart';
    // Every run ends without workflow code to record it: a 1 s execution timeout on a run that needs 5 s.
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 1_000, overlapPolicy: 'allow_all', runTimeoutMs: 1_000, params: { chunks: 1, chunkMs: 5_000 } });
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'planned'", [key])).length > 0, 20_000);
    const stoppedAt = Date.now();
    await h.stopServices();
    await sleep(17_000); // three or four slots pass with no alerting at all
    const restartedAt = Date.now();
    const svc = h.startService();
    const window: Date[] = [];
    for (let t = Math.ceil(stoppedAt / 5_000) * 5_000; t < restartedAt; t += 5_000) window.push(new Date(t));
    expect(window.length).toBeGreaterThanOrEqual(3);
    const rows = await eventually(async () => {
      const all = await Promise.all(window.map((s) => slotRow(key, s)));
      return all.every((r) => r && r.status === 'timed_out') ? all : null;
    }, 30_000);
    expect(rows.map((r) => r.error_type)).toEqual(window.map(() => 'WorkflowTimedOut'));
    await eventually(async () => (await alertsOf(key)).filter((a) => a.kind === 'timed_out' && window.some((s) => iso(s) === a.slot)).length === window.length, 20_000);
    // Two more passes of the sweeper and the reporter change nothing: one alert per slot, raised once.
    const [sweeps, reports] = [svc.passesOf('sweep'), svc.passesOf('report')];
    await eventually(() => svc.passesOf('sweep') >= sweeps + 2 && svc.passesOf('report') >= reports + 2, 20_000);
    const alerts = (await alertsOf(key)).filter((a) => a.kind === 'timed_out' && window.some((s) => iso(s) === a.slot));
    expect(alerts.map((a) => [a.slot, a.count])).toEqual(window.map((s) => [iso(s), 1]));
    const raised = (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === key && (e.data as AlertEvent).alert.kind === 'timed_out');
    for (const s of window) expect(raised.filter((e) => (e.data as AlertEvent).alert.slot === s.toISOString() && (e.data as AlertEvent).type === 'alert.raised')).toHaveLength(1);
    await h.deleteJob(key);
  }, 90_000);
});

describe('resolution that tells the truth', () => {
  it('a failed slot followed by a success keeps its verdict and its alert (job recovered); a Retry of it resolves it', async () => {
    const key = 'sweep-truth';
    await h.createJob(key, { schedule: false });
    const failedSlot = second(Date.now() - 60_000);
    const fail = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'non-retryable' }, { slot: failedSlot });
    await expect(fail.handle.result()).rejects.toThrow();
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'failed'), 20_000);
    const later = await h.startRun(key, { chunks: 1, chunkMs: 10 }, { slot: second() });
    await later.handle.result();
    // The job is healthy again; the failed slot is not: its alert stays open, marked recovered.
    const recovered = await eventually(async () => (await alertsOf(key)).find((a) => a.id === alert.id && a.recovered_at), 20_000);
    expect(recovered.status).toBe('open');
    expect((await slotRow(key, failedSlot)).status).toBe('failed');
    // Retrying the slot (a new run of it) that succeeds resolves it; the failed run stays in the history.
    const retry = await h.startRun(key, { chunks: 1, chunkMs: 10 }, { slot: failedSlot });
    await retry.handle.result();
    const resolved = await eventually(async () => (await alertsOf(key)).find((a) => a.id === alert.id && a.status === 'resolved'), 20_000);
    expect(resolved.resolved_by).toBe('recovery');
    expect(await slotRow(key, failedSlot)).toMatchObject({ status: 'succeeded', runs: 2 });
    const history = await h.sql<Array<{ status: string }>>('select status from job_slot_runs where job_key = ?', [key]);
    expect(history.map((r) => r.status)).toEqual(['failed']);
  }, 60_000);

  it('deleting a job removes its planned slots and resolves its open alerts; its history stays', async () => {
    const key = 'sweep-deleted-job';
    await h.createJob(key, { schedule: false });
    const slot = second(Date.now() - 30_000);
    const fail = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'non-retryable' }, { slot });
    await expect(fail.handle.result()).rejects.toThrow();
    const job = (await h.orm.em.fork().findOne(JobDefinition, { key }))!;
    await h.syncJob(job); // now it has a schedule (every 5 s) and planned rows
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'planned'", [key])).length > 0, 20_000);
    await eventually(async () => (await alertsOf(key)).some((a) => a.kind === 'failed'), 20_000);
    await h.deleteJob(key);
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'planned'", [key])).length === 0, 20_000);
    const alerts = await eventually(async () => {
      const all = await alertsOf(key);
      return all.every((a) => a.status === 'resolved') ? all : null;
    }, 20_000);
    expect(alerts.find((a) => a.kind === 'failed')).toMatchObject({ resolved_by: 'system', note: 'job deleted' });
    expect((await slotRow(key, slot)).status).toBe('failed');
  }, 60_000);
});
