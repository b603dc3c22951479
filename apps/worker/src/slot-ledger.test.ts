import { markAttempt, markSlotFinished, markSlotStarted, markSlotUnrun, writeProgress } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

// The slot ledger's state machine on the real MariaDB (issue 9 #6): a terminal row never goes back;
// only a new run of the slot takes it over, and the verdict it replaces is kept.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('slot_ledger');
}, 60_000);
afterAll(async () => h?.close(), 30_000);

const row = async (jobKey: string, nominalTime: Date) =>
  (await h.sql<Array<Record<string, unknown>>>('select * from job_slots where job_key = ? and nominal_time = ?', [jobKey, nominalTime]))[0];
const history = (jobKey: string) =>
  h.sql<Array<Record<string, unknown>>>('select run_no, status, run_id, error_type from job_slot_runs where job_key = ? order by run_no', [jobKey]);

describe('slot ledger', () => {
  it('a zombie attempt of a closed run leaves the terminal row terminal', async () => {
    const em = () => h.orm.em.fork();
    const slot = { jobKey: 'zombie', nominalTime: new Date('2026-11-02T03:00:00.000Z') };
    const run1 = { ...slot, kind: 'synthetic', workflowId: 'tk-zombie-2026-11-02T03:00:00Z', runId: 'run-1' };
    await markSlotStarted(em(), run1);
    expect(await markAttempt(em(), run1, 1, 7)).toBe('ours');
    // The run timed out; its verdict is recorded (by the sweeper, from Temporal).
    expect(await markSlotFinished(em(), run1, { status: 'timed_out', errorType: 'WorkflowTimedOut', errorMessage: 'run timeout' })).toBe(true);

    // The attempt that was still going when the run closed carries on: nothing it writes reopens the row.
    expect(await markAttempt(em(), run1, 2, 8)).toBe('closed');
    await writeProgress(em(), run1, { chunk: 3, cursor: null, counts: {} });
    expect(await markSlotFinished(em(), run1, { status: 'succeeded', result: { late: true } })).toBe(false);
    expect((await markSlotStarted(em(), run1)).status).toBe('timed_out');
    expect(await row('zombie', slot.nominalTime)).toMatchObject({ status: 'timed_out', attempt: 1, fence: 7, progress: null, result: null, runs: 1 });
  });

  it('a new run of the slot (a Retry) takes a terminal row over and keeps the replaced verdict; a success is final', async () => {
    const em = () => h.orm.em.fork();
    const slot = { jobKey: 'retried', nominalTime: new Date('2026-11-02T04:00:00.000Z') };
    const first = { ...slot, kind: 'synthetic', workflowId: 'tk-retried-2026-11-02T04:00:00Z', runId: 'run-a' };
    const retry = { ...slot, kind: 'synthetic', workflowId: 'tk-retried-2026-11-02T04:00:00.000Z-retry-1', runId: 'run-b' };
    await markSlotStarted(em(), first);
    await markSlotFinished(em(), first, { status: 'failed', errorType: 'SyntheticFatal', errorMessage: 'boom' });

    expect(await markSlotStarted(em(), retry)).toMatchObject({ status: 'running', alreadySucceeded: false });
    expect(await row('retried', slot.nominalTime)).toMatchObject({ status: 'running', run_id: 'run-b', runs: 2, error_type: null });
    expect(await history('retried')).toEqual([{ run_no: 1, status: 'failed', run_id: 'run-a', error_type: 'SyntheticFatal' }]);

    // The replaced run's late writes change nothing; if it is still alive it stands down.
    expect(await markSlotFinished(em(), first, { status: 'cancelled' })).toBe(false);
    expect(await markAttempt(em(), first, 3, 9)).toBe('replaced');
    expect(await markSlotFinished(em(), retry, { status: 'succeeded', result: { chunks: 1 } })).toBe(true);

    const again = { ...retry, workflowId: 'tk-retried-x', runId: 'run-c' };
    expect(await markSlotStarted(em(), again)).toMatchObject({ status: 'succeeded', alreadySucceeded: true });
    expect(await row('retried', slot.nominalTime)).toMatchObject({ status: 'succeeded', run_id: 'run-b', runs: 2 });
  });

  it('a planned slot judged missed is taken over by a late start, never by the sweeper twice', async () => {
    const em = () => h.orm.em.fork();
    const slot = { jobKey: 'late', nominalTime: new Date('2026-11-02T05:00:00.000Z') };
    await h.sql("insert into job_slots (job_key, nominal_time, kind, status, runs, created_at, updated_at) values (?, ?, 'synthetic', 'planned', 0, now(3), now(3))", [
      slot.jobKey,
      slot.nominalTime,
    ]);
    expect(await markSlotUnrun(em(), slot, { status: 'missed', reason: 'not_started', message: 'nothing started the run' })).toBe(true);
    expect(await markSlotUnrun(em(), slot, { status: 'skipped', reason: 'overlap_skip', message: 'x' })).toBe(false);
    await markSlotStarted(em(), { ...slot, kind: 'synthetic', workflowId: 'tk-late-2026-11-02T05:00:00Z', runId: 'run-late' });
    expect(await row('late', slot.nominalTime)).toMatchObject({ status: 'running', runs: 1, report_pending: 1 });
    expect(await history('late')).toEqual([{ run_no: 0, status: 'missed', run_id: null, error_type: 'not_started' }]);
  });
});
