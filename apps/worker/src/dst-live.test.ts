/**
 * Issue 12, end to end on live schedules: the mechanism that carries clock-change slots (the main
 * schedule skips a window of wall time, the companion fires the window's slots as explicit instants)
 * really starts exactly those slots, once each, under the main schedule's workflow ids, with the right
 * nominal times in the ledger. A real transition is months away, so the test makes one up a few
 * seconds ahead: a window of UTC wall time and the instants a policy would have chosen in it,
 * including ones off the cron's own grid (as shifted slots are).
 */
import { scheduleIdFor, dstScheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { applySchedule, checkCron, deleteSchedule, type DesiredSchedule, type DstWindow } from '@timekeeper/scheduling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('dst_live');
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close());

const SECOND = 1_000;
const iso = (t: number) => new Date(t).toISOString();

type Row = { nominal_time: Date; workflow_id: string };
const slotRows = (jobKey: string, from: number, to: number) =>
  h.sql<Row[]>('select nominal_time, workflow_id from job_slots where job_key = ? and nominal_time between ? and ? order by nominal_time', [jobKey, new Date(from), new Date(to)]);

/**
 * One try: a job whose made-up change is a few seconds ahead. Null when the span cannot be watched
 * fairly (the schedules were written, or Temporal's scheduler came alive, only after it began: a
 * loaded machine), so the caller tries again later rather than failing on timing.
 */
async function attempt(): Promise<{ jobKey: string; expected: string[]; rows: Row[]; ids: string[] } | null> {
  const jobKey = `dst-live-${Date.now().toString(36)}`;
  const cron = checkCron('*/2 * * * * *'); // every 2 seconds
  if (!cron.ok) throw new Error(cron.message);
  // On the cron's 2-second grid, so the slots around the window are t0 - 4s, t0 - 2s, t0 + 8s, ...
  const t0 = Math.ceil((Date.now() + 16 * SECOND) / (2 * SECOND)) * 2 * SECOND;
  const watchFrom = t0 - 4 * SECOND;
  const watchTo = t0 + 12 * SECOND;
  // The made-up change: wall time [t0, t0 + 8s) is the companion's; by "policy" it runs at t0+1s
  // (off the 2 s grid, like a shifted slot), t0+4s, t0+5s and t0+6s; the cron's t0 and t0+2s are dropped.
  const fires = [1, 4, 5, 6].map((x) => t0 + x * SECOND);
  const window: DstWindow = {
    wallFrom: t0,
    wallTo: t0 + 8 * SECOND,
    transitions: [{ at: t0 + SECOND, before: 0, after: 0 }],
    slots: [...fires.map((at) => ({ at, wall: at, fires: true })), { at: t0 + 2 * SECOND, wall: t0 + 2 * SECOND, fires: false }],
  };
  const input: RunInput = { ...h.input('synthetic', { chunks: 1, chunkMs: 1 }, { jobKey }), lock: { required: false, ttlMs: 5_000 } };
  delete input.slot;
  const desired: DesiredSchedule = {
    scheduleId: scheduleIdFor(jobKey),
    dstScheduleId: dstScheduleIdFor(jobKey),
    jobKey,
    instance: 'dst-live-test',
    temporalCron: cron.temporalCron,
    intervalMs: null,
    timezone: 'UTC',
    dstWindows: [window],
    jitterMs: 0,
    overlapPolicy: 'allow_all',
    catchupWindowMs: 60_000,
    paused: false,
    pauseNote: null,
    runTimeoutMs: 60_000,
    taskQueue: h.taskQueue,
    input,
  };
  const removeSchedules = async () => {
    await deleteSchedule(h.client, dstScheduleIdFor(jobKey));
    await deleteSchedule(h.client, scheduleIdFor(jobKey));
  };
  try {
    await applySchedule(h.client, desired);
    if (Date.now() > watchFrom - 2 * SECOND) return null;
    // The scheduler is alive once it has started a slot; it must have done so before the span begins.
    const [first] = (await eventually(async () => {
      const got = await slotRows(jobKey, 0, watchTo);
      return got.length ? got : null;
    }, 60_000))!;
    if (new Date(first.nominal_time).getTime() >= watchFrom) return null;

    const expected = [
      ...[-4, -2].map((x) => t0 + x * SECOND), // main, before the window
      ...fires, // companion
      ...[8, 10, 12].map((x) => t0 + x * SECOND), // main, after it
    ].map(iso);
    // Started slots have a row; once the span is 3 s past, every slot of it is due, so any extra one would be there too.
    let seen: Row[] = [];
    const rows = (await eventually(async () => {
      seen = await slotRows(jobKey, watchFrom, watchTo);
      return Date.now() > watchTo + 3 * SECOND && seen.length >= expected.length ? seen : null;
    }, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}: slots started ${seen.map((r) => iso(new Date(r.nominal_time).getTime())).join(' ')}, expected ${expected.join(' ')}`);
    }))!;
    await removeSchedules();
    // Each started once: one execution per workflow id in Temporal's visibility.
    const ids = (await eventually(async () => {
      const listed: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `TimekeeperJobKey = '${jobKey}'` })) listed.push(wf.workflowId);
      const inSpan = listed.filter((id) => rows.some((r) => r.workflow_id === id) || expected.some((t) => id.endsWith(`${t.slice(0, 19)}Z`)));
      return inSpan.length >= expected.length ? inSpan : null;
    }, 30_000))!;
    return { jobKey, expected, rows, ids };
  } finally {
    await removeSchedules();
  }
}

describe('clock-change slots on live schedules', () => {
  it('the companion starts exactly the window\'s instants, the main schedule everything else, each slot once', { timeout: 300_000 }, async () => {
    let result: Awaited<ReturnType<typeof attempt>> = null;
    for (let tries = 0; tries < 3 && !result; tries++) result = await attempt();
    if (!result) throw new Error('three tries could not write the schedules ahead of the span: the machine is too loaded to watch live schedules');
    const { jobKey, expected, rows, ids } = result;
    // Exactly these slots: none of the cron's own times inside the window, none missing around it.
    expect(rows.map((r) => iso(new Date(r.nominal_time).getTime()))).toEqual(expected);
    // Whichever schedule started it, a slot's workflow is tk-<key>-<nominal time>.
    const workflowIds = expected.map((t) => `${scheduleIdFor(jobKey)}-${t.slice(0, 19)}Z`);
    expect(rows.map((r) => r.workflow_id)).toEqual(workflowIds);
    expect(ids.sort()).toEqual([...workflowIds].sort());
  });
});
