import { ScheduleOverlapPolicy } from '@temporalio/client';
import { JobDefinition } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';
import { OwnTemporalServer } from '@timekeeper/runtime';
import { TemporalZones } from '@timekeeper/scheduling';

// This suite stops and restarts Temporal, so it runs a Temporal dev server of its own.
let temporal: OwnTemporalServer;
let h: Harness;
beforeAll(async () => {
  temporal = await OwnTemporalServer.start();
  h = await startHarness('api_sync', { TEMPORAL_ADDRESS: temporal.address });
}, 120_000);
afterAll(async () => {
  // A zone probe that began while Temporal was down retries until it answers (or its deadline): let it
  // end before the connection closes, or its retry fires on a closed channel.
  if (h?.services.planner.zones instanceof TemporalZones) await h.services.planner.zones.settled();
  await h?.close();
  await temporal?.stop();
}, 60_000);

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('MySQL and Temporal stay in step', () => {
  it('Temporal down: 202 pending; Temporal back: the reconciler creates the schedule', async () => {
    await temporal.stop();
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody('sync-while-down') });
    expect(res.statusCode).toBe(202);
    expect(res.json().syncStatus).toBe('pending');
    expect(res.json().syncError).toBeTruthy();
    // The definition is committed even though Temporal never saw it.
    expect((await h.orm.em.fork().findOneOrFail(JobDefinition, { key: 'sync-while-down' })).syncStatus).toBe('pending');

    await temporal.start();
    await until('the reconciler to sync', async () => {
      await h.orm.em.getConnection().execute('update job_definitions set next_sync_at = null');
      await h.services.syncer.reconcilePending();
      return (await h.orm.em.fork().findOneOrFail(JobDefinition, { key: 'sync-while-down' })).syncStatus === 'synced';
    }, 60_000);
    const s = await h.temporal.schedule.getHandle('tk-sync-while-down').describe();
    expect(s.spec.timezone).toBe('Asia/Shanghai');
  }, 120_000);

  it('repairs a schedule changed outside Timekeeper, one deleted, and an orphan', async () => {
    for (const key of ['drift-changed', 'drift-missing']) {
      expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key) })).statusCode).toBe(201);
    }
    await h.temporal.schedule.getHandle('tk-drift-changed').update((prev) => ({
      ...prev,
      policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    }));
    await h.temporal.schedule.getHandle('tk-drift-missing').delete();
    // An orphan: our prefix and instance, no definition (as if its row was removed by hand).
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody('drift-orphan') })).statusCode).toBe(201);
    await h.orm.em.getConnection().execute("delete from job_definitions where `key` = 'drift-orphan'");

    let result: Awaited<ReturnType<typeof h.services.syncer.repairDrift>> | undefined;
    // Schedule listing is eventually consistent: wait until the orphan is visible to the list.
    await until('drift repair to see all three', async () => {
      result = await h.services.syncer.repairDrift();
      return result.orphans.includes('tk-drift-orphan') || (await exists('tk-drift-orphan')) === false;
    });
    expect((await h.temporal.schedule.getHandle('tk-drift-changed').describe()).policies.overlap).toBe('SKIP');
    expect((await h.temporal.schedule.getHandle('tk-drift-missing').describe()).spec.timezone).toBe('Asia/Shanghai');
    expect(await exists('tk-drift-orphan')).toBe(false);

    const audit = await h.call({ method: 'GET', url: '/v1/audit?limit=50' });
    const repairs = audit.json().items.filter((e: { actor: string }) => e.actor === 'reconciler').map((e: { action: string; jobKey: string | null }) => `${e.action}:${e.jobKey}`);
    expect(repairs).toEqual(
      expect.arrayContaining(['schedule.repair.drifted:drift-changed', 'schedule.repair.missing:drift-missing', 'schedule.repair.orphan:null']),
    );
    // A second pass finds nothing to do.
    expect(await h.services.syncer.repairDrift()).toEqual({ missing: [], drifted: [], orphans: [], rolled: [] });
  }, 120_000);
});

async function exists(scheduleId: string): Promise<boolean> {
  try {
    await h.temporal.schedule.getHandle(scheduleId).describe();
    return true;
  } catch {
    return false;
  }
}
