import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleIdFor, type AlertEvent } from '@timekeeper/contracts';
import { createHarness, eventually, sleep, type Harness } from '../testing/harness';
import { OwnTemporalServer } from '@timekeeper/runtime';

// Missed windows while Temporal itself is down. This suite stops and restarts Temporal, so it runs a
// Temporal dev server of its own (the shared one is never touched). Jobs fire every 5 s (a seconds-level
// cron), with a 2 s grace period and no worker: what matters is whether Temporal started a slot at all.
let temporal: OwnTemporalServer;
let h: Harness;

beforeAll(async () => {
  temporal = await OwnTemporalServer.start();
  h = await createHarness('missed_outage', { temporalAddress: temporal.address });
  h.startService();
}, 90_000);
afterAll(async () => {
  await h?.close();
  await temporal?.stop();
}, 60_000);

// Stored as the API stores it (the operator's cron); the harness compiles it for Temporal as the syncer does.
const EVERY_5S = '*/5 * * * * *';

const alertsOf = async (jobKey: string) =>
  (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === jobKey).map((e) => e.data as AlertEvent);

/** The 5 s slots strictly inside (from, to). */
function slotsBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(from / 5_000) * 5_000 + 5_000; t < to; t += 5_000) out.push(new Date(t).toISOString());
  return out;
}

/** Waits until every slot has an alert, then returns slot -> its alerts as "kind:reason" (one per alert). */
async function alertsForSlots(jobKey: string, slots: string[], timeoutMs: number): Promise<Map<string, string[]>> {
  return eventually(async () => {
    const bySlot = new Map<string, Set<string>>();
    for (const { alert } of await alertsOf(jobKey)) {
      bySlot.set(alert.slot, (bySlot.get(alert.slot) ?? new Set()).add(`${alert.kind}:${alert.reason}`));
    }
    return slots.every((s) => bySlot.has(s)) ? new Map([...bySlot].map(([slot, kinds]) => [slot, [...kinds]])) : null;
  }, timeoutMs, 250);
}

describe('missed-window detector while Temporal is down', () => {
  it('slots that pass the catch-up window during an outage raise missed (catchup_window_exceeded); a long window starts them late instead', async () => {
    const short = 'outage-short-window';
    const long = 'outage-long-window';
    // allow_all: without a worker, started runs stay open, and "skip" would turn later slots into overlap skips.
    await h.createJob(short, { cron: EVERY_5S, catchupWindowMs: 10_000, gracePeriodMs: 2_000, overlapPolicy: 'allow_all' });
    await h.createJob(long, { cron: EVERY_5S, catchupWindowMs: 300_000, gracePeriodMs: 2_000, overlapPolicy: 'allow_all' });
    // Both schedules fired once and the detector has described them (a late_start for that slot): it is watching.
    for (const key of [short, long]) await eventually(async () => (await alertsOf(key)).some((a) => a.alert.kind === 'late_start'), 20_000, 250);

    await temporal.stop();
    const downAt = Date.now();
    await sleep(25_000); // five slots pass with Temporal down
    const upAt = Date.now();
    await temporal.start();

    // Slots at least the 10 s window older than the restart cannot have been processed in time by Temporal.
    const tooLate = slotsBetween(downAt, upAt - 10_000);
    const allDown = slotsBetween(downAt, upAt);
    expect(tooLate.length).toBeGreaterThanOrEqual(2);

    // Temporal counts them (numActionsMissedCatchupWindow) as it processes the backlog, and starts none.
    await eventually(async () => {
      const info = await h.temporal.schedule.getHandle(scheduleIdFor(short)).describe().then((d) => d.info, () => null);
      return info && info.numActionsMissedCatchupWindow >= tooLate.length;
    }, 30_000, 250);

    const shortAlerts = await alertsForSlots(short, tooLate, 30_000);
    // (A late_start warning may precede it while the restarted scheduler has not reached the slot yet.)
    for (const slot of tooLate) expect(shortAlerts.get(slot)?.filter((a) => a.startsWith('missed'))).toEqual(['missed:catchup_window_exceeded']);
    const sample = (await alertsOf(short)).find((a) => a.alert.slot === tooLate[0])!.alert;
    expect(sample).toMatchObject({ severity: 'critical', details: { source: 'schedule', workflowId: null, errorMessage: expect.stringContaining('catch-up window') } });
    // No slot of the short-window job is called missed for "nothing started it": Temporal accounted for every slot.
    expect((await alertsOf(short)).filter((a) => a.alert.kind === 'missed' && a.alert.reason === 'not_started')).toEqual([]);

    // The long window: Temporal starts every down slot on restart (late), so none is missed; with no
    // worker on the queue each is a late start instead.
    const longAlerts = await alertsForSlots(long, allDown, 30_000);
    for (const slot of allDown) expect(longAlerts.get(slot)?.filter((a) => a !== 'late_start:not_started')).toEqual(['late_start:no_worker']);
    expect((await alertsOf(long)).filter((a) => a.alert.kind === 'missed')).toEqual([]);
    expect((await h.temporal.schedule.getHandle(scheduleIdFor(long)).describe()).info.numActionsMissedCatchupWindow).toBe(0);
    // Their open runs are not needed any more: less load for the next test.
    for (const key of [short, long]) await h.temporal.schedule.getHandle(scheduleIdFor(key)).delete();
  }, 90_000);

  it('a job defined while Temporal is down: the slots before its schedule exists raise missed (schedule_missing)', async () => {
    // As the API does when Temporal is unreachable: the definition is committed, sync pending (202),
    // and the reconciler creates the schedule once Temporal answers again. Nothing fires in between,
    // and Temporal counts nothing either: the schedule did not exist.
    const key = 'outage-defined-while-down';
    await temporal.stop();
    const job = await h.createJob(key, { cron: EVERY_5S, catchupWindowMs: 10_000, gracePeriodMs: 2_000, overlapPolicy: 'allow_all', schedule: false });
    const createdAt = job.createdAt.getTime();
    await sleep(12_000); // two slots pass
    await temporal.start();
    const syncFrom = Date.now(); // no schedule before this moment
    // Retried like the reconciler's pass, in case the client is still reconnecting.
    await eventually(() => h.syncJob(job).then(() => true, () => false), 30_000, 500);
    const syncedAt = Date.now(); // the schedule exists from here on

    const unscheduled = slotsBetween(createdAt, syncFrom);
    expect(unscheduled.length).toBeGreaterThanOrEqual(2);
    const alerts = await alertsForSlots(key, unscheduled, 30_000);
    for (const slot of unscheduled) expect(alerts.get(slot)).toEqual(['missed:schedule_missing']);
    const sample = (await alertsOf(key)).find((a) => a.alert.slot === unscheduled[0])!.alert;
    expect(sample).toMatchObject({ severity: 'critical', details: { errorType: 'schedule_missing', errorMessage: expect.stringContaining('did not exist in Temporal'), workflowId: null } });
    const info = (await h.temporal.schedule.getHandle(scheduleIdFor(key)).describe()).info;
    expect([info.numActionsMissedCatchupWindow, info.numActionsSkippedOverlap]).toEqual([0, 0]);

    // Once the schedule exists its slots start (late_start: no worker), and none is called missed.
    const next = slotsBetween(syncedAt, syncedAt + 6_000)[0];
    const after = await alertsForSlots(key, [next], 20_000);
    expect(after.get(next)).toEqual(['late_start:no_worker']);
    expect((await alertsOf(key)).filter((a) => a.alert.kind === 'missed' && new Date(a.alert.slot).getTime() > syncedAt)).toEqual([]);
  }, 90_000);
});
