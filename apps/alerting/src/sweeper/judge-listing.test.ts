import { scheduleIdFor } from '@timekeeper/contracts';
import { listTimekeeperSchedules } from '@timekeeper/scheduling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from '../testing/harness';
import { alertRowsOf } from '../testing/ledger-rows';
import { Judge, type OpenRow, type ScheduleView } from './judge';

// When the scheduler is behind (a thousand slots on one minute), the listing already says a slot is not
// reached: the judge must not describe the run and the schedule of every such slot each pass, which
// would only slow the scheduler down more. Real Temporal and MariaDB; no alerting instance runs.
let h: Harness;

beforeAll(async () => {
  h = await createHarness('judge_listing');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

describe('a planned slot the scheduler has not reached', () => {
  it('raises late_start from the listing alone; without a listing it describes the schedule to learn the same', async () => {
    const key = 'judge-not-reached';
    // Hourly: the scheduler's next action is the next whole hour, far from anything this test waits for.
    const job = await h.createJob(key, { intervalMs: 3_600_000 });
    const summary = await eventually(async () => {
      const s = (await listTimekeeperSchedules(h.temporal)).get(scheduleIdFor(key));
      return s?.info.nextActionTimes[0] ? s : null;
    }, 20_000);
    const slot = summary.info.nextActionTimes[0];
    await h.sql("insert into job_slots (job_key, nominal_time, kind, status, runs, revision, report_pending, created_at, updated_at) values (?, ?, 'synthetic', 'planned', 0, 0, 0, now(3), now(3))", [key, slot]);
    const [{ id }] = await h.sql<Array<{ id: number }>>('select id from job_slots where job_key = ? and nominal_time = ?', [key, slot]);
    const row: OpenRow = { id, jobKey: key, nominalTime: slot, status: 'planned', workflowId: null, runId: null, startedAt: null };
    // Judged as if its grace period had passed (the judge takes the pass's time as given).
    const now = slot.getTime() + job.gracePeriodMs + 1_000;
    let describes = 0;
    const view = async (): Promise<ScheduleView> => {
      describes++;
      return undefined; // as if Temporal did not answer: the slot waits
    };

    expect(await new Judge(h.sweepContext()).planned(row, job, view, now, summary)).toBe(false);
    expect(describes).toBe(0);
    const alerts = await alertRowsOf(h, key);
    expect(alerts.map((a) => [a.kind, a.reason, a.status])).toEqual([['late_start', 'not_started', 'open']]);
    expect((await h.sql<Array<{ status: string }>>('select status from job_slots where id = ?', [id]))[0].status).toBe('planned');

    // Not listed (the listing failed this pass): the same slot needs the schedule described.
    expect(await new Judge(h.sweepContext()).planned(row, job, view, now, undefined)).toBe(false);
    expect(describes).toBe(1);
  }, 60_000);
});
