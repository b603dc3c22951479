import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { createHarness, eventually, type Consumed, type Harness } from '../testing/harness';

// Failed, timed-out, terminated runs and their recovery, end to end: a real worker runs the synthetic
// job, the alerting service detects, the alert lands in MySQL, on the live stream and in Kafka.
let h: Harness;
let alertsTopic: Consumed[];

beforeAll(async () => {
  h = await createHarness('failures');
  await h.startWorker();
  h.startService();
  alertsTopic = await h.consume(h.topics.alerts);
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const alertOn = (entries: Consumed[], jobKey: string, kind: string) =>
  entries.find((m) => m.key === jobKey && (m.value as AlertEvent).alert.kind === kind);

describe('failure detectors', () => {
  it('an activity that throws raises a failed alert on the stream and in Kafka, with the run details', async () => {
    const key = 'fail-throw';
    await h.createJob(key, { schedule: false });
    const { handle, slot } = await h.startRun(key, { chunks: 2, chunkMs: 10, failAtChunk: 1, failure: 'non-retryable' });
    await expect(handle.result()).rejects.toThrow();

    const onStream = await eventually(async () => (await h.stream()).find((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === key));
    const event = onStream.data as AlertEvent;
    expect(event.type).toBe('alert.raised');
    expect(event.alert).toMatchObject({
      jobKey: key,
      slot: slot.toISOString(),
      kind: 'failed',
      severity: 'critical',
      status: 'open',
      count: 1,
      acknowledgedBy: null,
      details: { errorType: 'SyntheticFatal', workflowId: handle.workflowId, source: 'ledger' },
    });
    expect(event.alert.details.errorMessage).toContain('synthetic non-retryable failure at chunk 1');
    expect(event.alert.details.attempt).toBe(1);
    expect(event.alert.details.temporalUrl).toContain(`/workflows/${encodeURIComponent(handle.workflowId)}/`);

    const msg = await eventually(() => alertOn(alertsTopic, key, 'failed'), 20_000);
    expect(msg.eventId).toBe(event.eventId);
    expect((msg.value as AlertEvent).eventId).toBe(event.eventId);
    expect((msg.value as AlertEvent).alert).toEqual(event.alert);

    // Exactly one alert: the sweeper, which sees the same run closed as Failed, leaves a recorded verdict alone.
    await new Promise((r) => setTimeout(r, 1_500));
    const rows = await h.sql<Array<{ n: number }>>('select count(*) n from alerts where job_key = ?', [key]);
    expect(Number(rows[0].n)).toBe(1);

    // The run's state changes went to the runs topic too.
    const runs = await h.consume(h.topics.runs);
    const states = await eventually(() => {
      const s = runs.filter((m) => m.key === key).map((m) => m.value.status);
      return s.includes('failed') ? s : null;
    }, 20_000);
    expect(states).toContain('failed');
  }, 60_000);

  it('a retried run of the same slot that fails again raises the count, not a second alert', async () => {
    const key = 'fail-repeat';
    await h.createJob(key, { schedule: false });
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000);
    const alertRows = () => h.sql<Array<{ count: number; status: string }>>('select count, status from alerts where job_key = ?', [key]);
    for (let i = 0; i < 2; i++) {
      const { handle } = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'non-retryable' }, { slot });
      await expect(handle.result()).rejects.toThrow();
      // The reporter reports what the ledger row says when it reads it: a retry that also failed before
      // it got there is one failed verdict. Wait until the first failure is reported before retrying.
      if (i === 0) await eventually(async () => (await alertRows()).length === 1);
    }
    const alert = await eventually(async () => {
      const rows = await h.sql<Array<{ count: number; status: string }>>('select count, status from alerts where job_key = ?', [key]);
      return rows.length === 1 && rows[0].count === 2 ? rows[0] : null;
    });
    expect(alert.status).toBe('open');
    const events = (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === key).map((e) => (e.data as AlertEvent).type);
    expect(await eventually(async () => {
      const ev = (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === key).map((e) => (e.data as AlertEvent).type);
      return ev.length === 2 ? ev : null;
    })).toEqual(['alert.raised', 'alert.repeated']);
    expect(events.length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('an attempt that outlives its start-to-close timeout raises timed_out', async () => {
    const key = 'fail-timeout';
    await h.createJob(key, { schedule: false });
    const { handle } = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'timeout' }, { startToCloseMs: 1_500 });
    await expect(handle.result()).rejects.toThrow();
    const msg = await eventually(() => alertOn(alertsTopic, key, 'timed_out'), 20_000);
    const alert = (msg.value as AlertEvent).alert;
    expect(alert.details.errorType).toMatch(/^Timeout:/);
    expect(alert.details.workflowId).toBe(handle.workflowId);
  }, 60_000);

  // Issue 9 #6: no workflow code runs when the execution timeout hits, so the sweeper gives the verdict from Temporal.
  it('a run that exceeds its workflow execution timeout gets the verdict timed_out in the ledger, and an alert', async () => {
    const key = 'fail-run-timeout';
    await h.createJob(key, { schedule: false });
    const { handle, slot } = await h.startRun(key, { chunks: 1, chunkMs: 10, failAtChunk: 0, failure: 'hang' }, { runTimeoutMs: 2_000, startToCloseMs: 60_000 });
    await expect(handle.result()).rejects.toThrow();
    const row = await eventually(async () => {
      const [r] = await h.sql<Array<{ status: string; error_type: string; finished_at: string }>>('select status, error_type, finished_at from job_slots where job_key = ? and nominal_time = ?', [key, slot]);
      return r?.status === 'timed_out' ? r : null;
    }, 20_000);
    expect(row.error_type).toBe('WorkflowTimedOut');
    const msg = await eventually(() => alertOn(alertsTopic, key, 'timed_out'), 20_000);
    const alert = (msg.value as AlertEvent).alert;
    expect(alert.details).toMatchObject({ source: 'temporal', errorType: 'WorkflowTimedOut', workflowId: handle.workflowId });
  }, 60_000);

  it('a terminated run gets a failed verdict (WorkflowTerminated) and raises terminated', async () => {
    const key = 'fail-terminate';
    await h.createJob(key, { schedule: false });
    const { handle, slot } = await h.startRun(key, { chunks: 1, chunkMs: 60_000 });
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'running'", [key])).length > 0);
    await handle.terminate('test');
    const msg = await eventually(() => alertOn(alertsTopic, key, 'terminated'), 20_000);
    expect((msg.value as AlertEvent).alert.reason).toMatch(/^WorkflowTerminated: the run was terminated/);
    const [row] = await h.sql<Array<{ status: string; error_type: string }>>('select status, error_type from job_slots where job_key = ? and nominal_time = ?', [key, slot]);
    expect(row).toEqual({ status: 'failed', error_type: 'WorkflowTerminated' });
  }, 60_000);

  it('a run longer than the expected max duration raises overdue; its own verdict resolves it', async () => {
    const key = 'fail-overdue';
    await h.createJob(key, { schedule: false, expectedMaxDurationMs: 1_000 });
    const { handle, slot } = await h.startRun(key, { chunks: 1, chunkMs: 3_000 });
    const msg = await eventually(() => alertOn(alertsTopic, key, 'overdue'), 20_000);
    expect((msg.value as AlertEvent).alert.slot).toBe(slot.toISOString());
    expect(alertsTopic.find((m) => m.key === key && (m.value as AlertEvent).type === 'alert.resolved')).toBeUndefined();
    await handle.result();
    // Overdue warns while the run has no verdict; once it has one, the warning is over.
    const resolved = await eventually(() => alertsTopic.find((m) => m.key === key && (m.value as AlertEvent).type === 'alert.resolved'), 20_000);
    expect((resolved.value as AlertEvent).alert).toMatchObject({ kind: 'overdue', status: 'resolved', resolvedBy: 'recovery' });
    expect((resolved.value as AlertEvent).alert.note).toContain('succeeded');
  }, 60_000);
});
