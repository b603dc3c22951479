import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleIdFor, type AlertEvent } from '@timekeeper/contracts';
import { createHarness, eventually, sleep, type Consumed, type Harness } from '../testing/harness';

// Missed windows on real Temporal schedules firing every 5 s, with a 2 s grace period.
let h: Harness;
let alertsTopic: Consumed[];

beforeAll(async () => {
  h = await createHarness('missed');
  h.startService();
  alertsTopic = await h.consume(h.topics.alerts);
}, 60_000);
afterAll(async () => h?.close(), 60_000);

/** Every alert event of the job on the live stream, oldest first. */
const alertsOf = async (jobKey: string) =>
  (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === jobKey).map((e) => e.data as AlertEvent);

describe('missed-window detector', () => {
  it('with no worker on the queue, a started slot raises late_start (reason no_worker) within grace + 5 s', async () => {
    // Its own task queue with no worker at all: the schedule starts the workflow, nobody runs it.
    const key = 'missed-noworker';
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 2_000 });
    const event = await eventually(async () => (await alertsOf(key)).find((a) => a.alert.kind === 'late_start'), 20_000);
    expect(event.alert).toMatchObject({ reason: 'no_worker', severity: 'warning', details: { source: 'schedule' } });
    expect(event.alert.details.workflowId).toBe(`tk-${key}-${event.alert.slot.replace(/\.000Z$/, 'Z')}`);
    // Raised within grace + 5 s of the slot.
    expect(new Date(event.alert.firstSeen).getTime() - new Date(event.alert.slot).getTime()).toBeLessThan(2_000 + 5_000);
    await eventually(() => alertsTopic.find((m) => m.key === key && (m.value as AlertEvent).alert.kind === 'late_start'), 20_000);
  }, 60_000);

  it('a schedule paused across a slot raises missed with reason paused', async () => {
    const key = 'missed-paused';
    await h.startWorker();
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 2_000 });
    const schedule = h.temporal.schedule.getHandle(scheduleIdFor(key));
    await schedule.pause('test pause');
    const pausedAt = Date.now();
    // Paused outside Timekeeper: a warning naming what changed.
    const drift = await eventually(async () => (await alertsOf(key)).find((a) => a.alert.kind === 'schedule_drift'), 10_000);
    expect(drift.alert).toMatchObject({ severity: 'warning', details: { changes: ['paused in Temporal ("test pause") while Timekeeper has it running'] } });
    await sleep(7_000); // at least one slot passes while paused
    await schedule.unpause();
    // The first slot at least 1 s into the pause (the pause lasts 7 s or more).
    const pausedSlot = new Date(Math.ceil((pausedAt + 1_000) / 5_000) * 5_000).toISOString();
    const event = await eventually(async () => (await alertsOf(key)).find((a) => a.alert.kind === 'missed' && a.alert.slot === pausedSlot), 20_000);
    expect(event.alert).toMatchObject({ reason: 'paused', severity: 'info' });
    expect(event.alert.details.errorMessage).toContain('paused');
    // Back in step: the drift warning resolves itself.
    await eventually(async () => (await alertsOf(key)).find((a) => a.alert.kind === 'schedule_drift' && a.type === 'alert.resolved'), 10_000);
  }, 60_000);

  it('a slot skipped by the overlap policy raises missed with reason overlap_skip', async () => {
    const key = 'missed-overlap';
    // Each run takes 8 s; with interval 5 s and overlap "skip" every other slot is skipped.
    await h.startWorker();
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 2_000, overlapPolicy: 'skip', params: { chunks: 1, chunkMs: 8_000 } });
    const scheduleCreated = (await h.temporal.schedule.getHandle(scheduleIdFor(key)).describe()).info.createdAt.getTime();
    const skipped = await eventually(async () => {
      const skips = await h.sql<Array<{ nominal_time: string }>>("select nominal_time from job_slots where job_key = ? and status = 'skipped'", [key]);
      return skips.length >= 2 ? skips : null;
    }, 30_000);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    // Every missed slot since the schedule exists is put down to the overlap policy (a slot between the
    // definition's commit and the schedule's creation, if one fell there, is schedule_missing).
    const missed = await eventually(async () => {
      const m = (await alertsOf(key)).filter((a) => a.alert.kind === 'missed' && new Date(a.alert.slot).getTime() >= scheduleCreated);
      return m.length >= skipped.length ? m : null;
    }, 20_000);
    for (const m of missed) expect(m.alert.reason).toBe('overlap_skip');
    expect(missed[0].alert.details.errorMessage).toContain('overlap');
  }, 60_000);
});
