import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { scheduleIdFor } from '@timekeeper/contracts';
import { markSlotFinished, markSlotStarted } from '@timekeeper/jobs';
import { createHarness, eventually, type Harness } from '../testing/harness';
import { alertRowsOf, slotRowOf, sqlTime } from '../testing/ledger-rows';

// The slot sweeper against real Temporal, MariaDB, Redis and Kafka (issue 10, issue 9 #6): rows are found
// by what they are (open, or not reported yet), never by a time cursor; drift is named.
let h: Harness;

beforeAll(async () => {
  h = await createHarness('sweeper_verdicts');
  h.startService();
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const alertsOf = (jobKey: string) => alertRowsOf(h, jobKey);
const slotRow = async (jobKey: string, slot: Date) => (await slotRowOf(h, jobKey, slot))!;
const iso = sqlTime;

describe('verdicts whatever the clock or commit order', () => {
  it('a verdict committed late, stamped long before any cursor position, is still reported', async () => {
    const key = 'sweep-late-commit';
    await h.createJob(key, { schedule: false });
    const slot = new Date(Date.now() - 5 * 60_000);
    const run = { jobKey: key, nominalTime: slot, kind: 'synthetic', workflowId: `tk-${key}-x`, runId: 'late-run' };
    // The writer's statements carry times of 10 minutes ago (a slow transaction, or a pod clock behind).
    await h.orm.em.fork().transactional(async (tx) => {
      await markSlotStarted(tx, run);
      await markSlotFinished(tx, run, { status: 'failed', errorType: 'SyntheticFatal', errorMessage: 'late' });
      const past = new Date(Date.now() - 10 * 60_000);
      await tx.execute('update job_slots set started_at = ?, finished_at = ?, updated_at = ? where job_key = ?', [past, past, past, key]);
    });
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'failed'), 20_000);
    expect(alert).toMatchObject({ slot: iso(slot), status: 'open', count: 1 });
    // The flag is cleared just after the alert is written (same pass): wait for it, don't race it.
    await eventually(async () => (await slotRow(key, slot)).report_pending === 0 || undefined, 10_000);
  }, 60_000);

  it('a run whose worker clock is 30 s behind, then terminated, still gets its verdict', async () => {
    const key = 'sweep-skewed-terminated';
    await h.createJob(key, { schedule: false });
    const { handle, slot } = await h.startRun(key, { chunks: 1, chunkMs: 60_000 });
    await eventually(async () => (await slotRow(key, slot))?.status === 'running');
    // What a worker whose clock runs 30 s behind would have written.
    await h.sql('update job_slots set started_at = started_at - interval 30 second, updated_at = updated_at - interval 30 second where job_key = ?', [key]);
    await handle.terminate('test: operator terminate');
    const row = await eventually(async () => {
      const r = await slotRow(key, slot);
      return r.status !== 'running' ? r : null;
    }, 30_000);
    expect(row).toMatchObject({ status: 'failed', error_type: 'WorkflowTerminated' });
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'terminated'), 20_000);
    expect(alert.status).toBe('open');
  }, 60_000);
});

describe('slots without a run', () => {
  it('a schedule deleted in Temporal raises a critical schedule_missing alert within a pass, and its slots are missed', async () => {
    const key = 'sweep-schedule-deleted';
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 1_000, params: { chunks: 1, chunkMs: 10 } });
    // The planner has planned it (it watches the schedule).
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'planned'", [key])).length > 0, 20_000);
    const deletedAt = Date.now();
    await h.temporal.schedule.getHandle(scheduleIdFor(key)).delete();
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'schedule_missing'), 10_000);
    expect(alert.reason).toContain('missing in Temporal');
    const [{ severity }] = await h.sql<Array<{ severity: string }>>('select severity from alerts where id = ?', [alert.id]);
    expect(severity).toBe('critical');
    // The next slot cannot run: it is missed with that reason, and alerted.
    const next = new Date(Math.ceil((deletedAt + 1) / 5_000) * 5_000);
    const missed = await eventually(async () => {
      const r = await slotRow(key, next);
      return r?.status === 'missed' ? r : null;
    }, 20_000);
    expect(missed.error_type).toBe('schedule_missing');
    await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'missed' && a.slot === iso(next)), 10_000);
  }, 60_000);

  it('a slot skipped just before the job is paused (within its grace period) is still reported', async () => {
    const key = 'sweep-paused-in-grace';
    // Runs take 8 s on a 5 s interval: the slot after the first run's is skipped by the overlap policy.
    await h.createJob(key, { intervalMs: 5_000, gracePeriodMs: 6_000, overlapPolicy: 'skip', params: { chunks: 1, chunkMs: 8_000 } });
    const first = await eventually(async () => {
      const [r] = await h.sql<Array<{ nominal_time: string }>>("select nominal_time from job_slots where job_key = ? and status = 'running'", [key]);
      return r;
    }, 20_000);
    const skipped = new Date(new Date(`${first.nominal_time.replace(' ', 'T')}Z`).getTime() + 5_000);
    // Wait for that slot to pass (Temporal skips it), then pause before its grace period ends.
    await eventually(async () => {
      const info = (await h.temporal.schedule.getHandle(scheduleIdFor(key)).describe()).info;
      return info.numActionsSkippedOverlap > 0;
    }, 15_000, 100);
    expect(Date.now(), `skip seen at ${new Date().toISOString()}, slot ${skipped.toISOString()}`).toBeLessThan(skipped.getTime() + 6_000);
    await h.pauseJob(key);
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'missed' && a.slot === iso(skipped)), 20_000);
    expect(alert.reason).toBe('overlap_skip');
    expect(await slotRow(key, skipped)).toMatchObject({ status: 'skipped', error_type: 'overlap_skip' });
    // Paused in Timekeeper: no future slot is expected any more.
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'planned' and nominal_time > now(3)", [key])).length === 0, 20_000);
  }, 60_000);

});

describe('drift', () => {
  it('a schedule edited outside Timekeeper raises a warning naming what changed, and resolves once it is repaired', async () => {
    const key = 'sweep-edited-outside';
    const job = await h.createJob(key, { intervalMs: 60_000, overlapPolicy: 'skip' });
    const handle = h.temporal.schedule.getHandle(scheduleIdFor(key));
    await handle.update((prev) => ({ ...prev, policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.ALLOW_ALL } }));
    // Policies are not in the schedule listing: seen at the job's next periodic describe (ALERTING_DRIFT_CHECK_MS, 2 s here).
    const alert = await eventually(async () => (await alertsOf(key)).find((a) => a.kind === 'schedule_drift'), 30_000);
    expect(alert.reason).toContain('overlap policy SKIP -> ALLOW_ALL');
    const [{ severity }] = await h.sql<Array<{ severity: string }>>('select severity from alerts where id = ?', [alert.id]);
    expect(severity).toBe('warning');
    await h.syncJob(job); // what the API's reconciler does with drift
    await eventually(async () => (await alertsOf(key)).find((a) => a.id === alert.id && a.status === 'resolved'), 30_000);
  }, 60_000);
});
