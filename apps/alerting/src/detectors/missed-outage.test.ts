import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleIdFor, type AlertEvent } from '@timekeeper/contracts';
import { checkCron } from '@timekeeper/scheduling';
import { createHarness, eventually, sleep, type Harness } from '../testing/harness';
import { OwnTemporalServer } from '../testing/temporal-server';

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

const alertsOf = async (jobKey: string) =>
  (await h.stream()).filter((e) => e.event === 'alert' && (e.data as AlertEvent).alert.jobKey === jobKey).map((e) => e.data as AlertEvent);

const log = (...a: unknown[]) => console.log(new Date().toISOString(), ...a);

describe('explore', () => {
  it('catch-up', async () => {
    const check = checkCron('*/5 * * * * *');
    if (!check.ok) throw new Error(check.message);
    const key = 'outage-catchup';
    await h.createJob(key, { cron: check.temporalCron, catchupWindowMs: 10_000, gracePeriodMs: 2_000, overlapPolicy: 'allow_all' });
    const sched = h.temporal.schedule.getHandle(scheduleIdFor(key));
    await eventually(async () => (await sched.describe()).info.recentActions.length > 0, 20_000, 250);
    await sleep(1_000);
    log('stopping');
    await temporal.stop();
    log('stopped');
    await sleep(25_000);
    log('starting');
    await temporal.start();
    log('started');
    const t = Date.now();
    while (Date.now() - t < 20_000) {
      try {
        const d = await sched.describe();
        log('desc', d.info.numActionsMissedCatchupWindow, d.info.numActionsSkippedOverlap, d.info.numActionsTaken, d.info.recentActions.map((a) => a.scheduledAt.toISOString().slice(11, 19)).join(','));
      } catch (e) {
        log('desc err', (e as Error).message);
      }
      await sleep(500);
    }
    for (const a of await alertsOf(key)) log('alert', a.alert.kind, a.alert.reason, a.alert.slot, a.alert.firstSeen);
    expect(true).toBe(true);
  }, 120_000);
});
