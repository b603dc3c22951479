import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { ExpectedSlot } from '@timekeeper/contracts';
import { JobDefinition } from '@timekeeper/db';
import { createLogger } from '@timekeeper/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncJobsFile } from '../services/config-jobs';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Issue 12: the DST policy through the API, against the real MariaDB and Temporal dev server.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('api_dst', { MAX_BACKFILL_SLOTS: '20' });
}, 60_000);
afterAll(async () => h?.close());

const describeSchedule = async (id: string) => {
  try {
    return await h.temporal.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
};
const london = (key: string, schedule: Record<string, unknown> = {}) => jobBody(key, { schedule: { cron: '*/5 * * * *', timezone: 'Europe/London', ...schedule } });

describe('a DST policy on every job', { timeout: 60_000 }, () => {
  const key = 'dst-london-5m';

  it('is part of the definition, with defaults, and its clock-change slots go to a companion schedule', async () => {
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: london(key, { repeatedWallTime: 'last' }) });
    expect(res.statusCode).toBe(201);
    expect(res.json().schedule).toMatchObject({ repeatedWallTime: 'last', missingWallTime: 'shift' });

    const main = await describeSchedule(`tk-${key}`);
    const dst = await describeSchedule(`tk-${key}.dst`);
    // The main schedule skips each window's wall time (a year back to 13+ months ahead); the companion
    // fires the windows' slots as UTC instants, under the main schedule's workflow id.
    expect(main?.spec.skip?.length).toBeGreaterThan(0);
    expect(dst?.spec.timezone).toBe('UTC');
    expect(dst?.spec.calendars?.length).toBeGreaterThan(0);
    expect((dst?.action as { workflowId: string }).workflowId).toBe(`tk-${key}`);
    expect(dst?.memo).toMatchObject({ instance: main?.memo?.instance, companionOf: `tk-${key}` });
    const row = await h.orm.em.fork().findOneOrFail(JobDefinition, { key });
    expect(row.dstPlanUntil!.getTime() - Date.now()).toBeGreaterThan(395 * 86_400_000);

    // What it will start around the autumn change of 2027: the second 01:xx only.
    const next = await h.call({ method: 'GET', url: `/v1/jobs/${key}/next-runs?count=3`, key: h.keys.viewer });
    expect(next.json()).toMatchObject({ source: 'schedule', timeBasis: 'wall-clock' });
    const nextInstants = await h.temporal.schedule.getHandle(`tk-${key}`).describe();
    expect(nextInstants.info.nextActionTimes.length).toBeGreaterThan(0);
  });

  it('pausing pauses both schedules; a cron that never meets a change drops the companion', async () => {
    const paused = await h.call({ method: 'POST', url: `/v1/jobs/${key}/pause`, body: { note: 'x' }, key: h.keys.operator });
    expect(paused.statusCode).toBe(200);
    expect((await describeSchedule(`tk-${key}.dst`))?.state.paused).toBe(true);

    const version = paused.json().version;
    const edit = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { schedule: { cron: '0 12 * * *' } }, headers: { 'if-match': String(version) } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().schedule.repeatedWallTime).toBe('last');
    expect(await describeSchedule(`tk-${key}.dst`)).toBeNull();
    expect((await describeSchedule(`tk-${key}`))?.spec.skip ?? []).toEqual([]);
  });

  it('deleting the job deletes both schedules', async () => {
    const edit = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { schedule: { cron: '*/5 * * * *' } }, headers: { 'if-match': String((await h.call({ method: 'GET', url: `/v1/jobs/${key}` })).json().version) } });
    expect(edit.statusCode).toBe(200);
    expect(await describeSchedule(`tk-${key}.dst`)).not.toBeNull();
    expect((await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` })).statusCode).toBe(204);
    expect(await describeSchedule(`tk-${key}`)).toBeNull();
    expect(await describeSchedule(`tk-${key}.dst`)).toBeNull();
  });
});

describe('intervals stay in absolute time and say so', { timeout: 60_000 }, () => {
  it('refuses a DST policy named for an interval, naming the field', async () => {
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody('dst-interval', { schedule: { interval: '10m', timezone: 'Europe/London', repeatedWallTime: 'both' } }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: 'schedule.repeatedWallTime', message: 'applies to cron schedules only: an interval runs in absolute time and never meets a clock change' },
    ]);
    expect(await h.orm.em.fork().findOne(JobDefinition, { key: 'dst-interval' })).toBeNull();
  });

  it('a cron job turned into an interval keeps no policy; its preview says "absolute"', async () => {
    const created = await h.call({ method: 'POST', url: '/v1/jobs', body: london('dst-to-interval', { repeatedWallTime: 'both', missingWallTime: 'skip' }) });
    expect(created.statusCode).toBe(201);
    const edit = await h.call({ method: 'PATCH', url: '/v1/jobs/dst-to-interval', body: { schedule: { interval: '10m' } }, headers: { 'if-match': String(created.json().version) } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().schedule).toMatchObject({ interval: '10m', repeatedWallTime: 'first', missingWallTime: 'shift' });
    expect(await describeSchedule('tk-dst-to-interval.dst')).toBeNull();
    const again = await h.call({ method: 'PATCH', url: '/v1/jobs/dst-to-interval', body: { schedule: { missingWallTime: 'skip' } }, headers: { 'if-match': String(edit.json().version) } });
    expect(again.statusCode).toBe(400);
    expect(again.json().details[0].field).toBe('schedule.missingWallTime');

    const preview = await h.call({ method: 'POST', url: '/v1/schedules/preview', body: { interval: '1h', timezone: 'Europe/London', count: 3, from: '2026-10-25T00:00:00Z' }, key: h.keys.operator });
    expect(preview.json().timeBasis).toBe('absolute');
    expect(preview.json().items.map((s: ExpectedSlot) => s.utc)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z']);
    const refused = await h.call({ method: 'POST', url: '/v1/schedules/preview', body: { interval: '1h', timezone: 'Europe/London', repeatedWallTime: 'last' }, key: h.keys.operator });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].field).toBe('repeatedWallTime');
    await h.call({ method: 'DELETE', url: '/v1/jobs/dst-to-interval' });
  });
});

describe('preview by policy', { timeout: 60_000 }, () => {
  it('flags the occurrences and lists the skipped one', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/v1/schedules/preview',
      body: { cron: '30 1 * * *', timezone: 'Europe/London', repeatedWallTime: 'last', count: 3, from: '2026-10-24T12:00:00Z' },
      key: h.keys.operator,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((s: ExpectedSlot) => [s.utc, s.status, s.ambiguous ?? null])).toEqual([
      ['2026-10-25T00:30:00.000Z', 'skipped', 'first'],
      ['2026-10-25T01:30:00.000Z', 'fires', 'last'],
      ['2026-10-26T01:30:00.000Z', 'fires', null],
    ]);
  });
});

describe('the reconciler keeps the plan ahead', { timeout: 60_000 }, () => {
  it('rewrites schedules whose plan is not the current one, without calling it a repair', async () => {
    const key = 'dst-roll';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: london(key) })).statusCode).toBe(201);
    const before = await h.orm.em.fork().findOneOrFail(JobDefinition, { key });
    // As if the schedules carried last month's plan.
    await h.orm.em.getConnection().execute('update job_definitions set dst_plan_hash = ?, dst_plan_until = ? where `key` = ?', ['stale', new Date(Date.now() + 86_400_000), key]);
    const result = await h.services.syncer.repairDrift();
    expect(result.rolled).toContain(key);
    const after = await h.orm.em.fork().findOneOrFail(JobDefinition, { key });
    expect(after.dstPlanHash).toBe(before.dstPlanHash);
    expect(after.dstPlanUntil?.getTime()).toBe(before.dstPlanUntil?.getTime());
    expect(after.syncStatus).toBe('synced');
    expect((await h.services.syncer.repairDrift()).rolled).not.toContain(key);
    const audit = await h.call({ method: 'GET', url: `/v1/audit?job=${key}` });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['job.create']);
  });

  it('repairs a companion changed or deleted outside Timekeeper, and deletes an orphaned one', async () => {
    const key = 'dst-roll';
    await h.temporal.schedule.getHandle(`tk-${key}.dst`).delete();
    expect((await h.services.syncer.repairDrift()).drifted).toContain(key);
    expect(await describeSchedule(`tk-${key}.dst`)).not.toBeNull();
    // Its row removed by hand: both schedules are orphans of this installation.
    await h.orm.em.getConnection().execute('delete from job_definitions where `key` = ?', [key]);
    const deadline = Date.now() + 30_000;
    while ((await describeSchedule(`tk-${key}.dst`)) && Date.now() < deadline) await h.services.syncer.repairDrift();
    expect(await describeSchedule(`tk-${key}.dst`)).toBeNull();
    expect(await describeSchedule(`tk-${key}`)).toBeNull();
  });
});

describe('backfill', { timeout: 60_000 }, () => {
  it('counts the companion\'s slots too (a range inside a window has none on the main schedule)', async () => {
    const key = 'dst-backfill';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: london(key) })).statusCode).toBe(201);
    // London, 2026-10-24 22:00Z to 2026-10-25 04:00Z is all window: 60 slots by the default policy, all the
    // companion's (the main schedule has none there), so only counting the companion passes the limit of 20.
    const res = await h.call({ method: 'POST', url: `/v1/jobs/${key}/backfill`, body: { from: '2026-10-24T21:59:30Z', to: '2026-10-25T03:59:00Z' }, key: h.keys.operator });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/more than 20 runs/);
    await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });
});

describe('config/jobs.yaml', { timeout: 60_000 }, () => {
  const quiet = createLogger('api-test-dst-config', 'silent');
  const file = async (yaml: string) => {
    const path = join(await mkdtemp(join(tmpdir(), 'tk-dst-')), 'jobs.yaml');
    await writeFile(path, yaml);
    return path;
  };
  const entry = (schedule: string) => `jobs:
  - key: dst-cfg
    name: DST from config
    kind: synthetic
    params: { chunks: 1, chunkMs: 1 }
    schedule: ${schedule}
`;

  it('takes the policy, and a second sync of the same file changes nothing', async () => {
    const path = await file(entry('{ cron: "30 1 * * *", timezone: Europe/London, repeatedWallTime: both, missingWallTime: skip }'));
    expect((await syncJobsFile(h.orm, h.services.commands, path, quiet)).created).toEqual(['dst-cfg']);
    const row = await h.orm.em.fork().findOneOrFail(JobDefinition, { key: 'dst-cfg' });
    expect([row.dstRepeated, row.dstMissing, row.managedBy]).toEqual(['both', 'skip', 'config']);
    expect((await syncJobsFile(h.orm, h.services.commands, path, quiet)).unchanged).toEqual(['dst-cfg']);
  });

  it('refuses a policy on an interval entry, naming it, and leaves the job as it was', async () => {
    const path = await file(entry('{ interval: 10m, timezone: Europe/London, repeatedWallTime: last }'));
    await expect(syncJobsFile(h.orm, h.services.commands, path, quiet)).rejects.toThrow(/schedule\.repeatedWallTime applies to cron schedules only/);
    expect((await h.orm.em.fork().findOneOrFail(JobDefinition, { key: 'dst-cfg' })).cron).toBe('30 1 * * *');
    await h.services.commands.remove('dst-cfg', 'test', { fromConfig: true });
  });
});
