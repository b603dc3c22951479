import { scheduleIdFor } from '@timekeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Real MariaDB and the real Temporal dev server: every schedule assertion describes the live schedule.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('api_jobs');
}, 60_000);
afterAll(async () => h?.close());

const describeSchedule = (key: string) => h.temporal.schedule.getHandle(`tk-${key}`).describe();

describe('job definitions mirrored as Temporal schedules', () => {
  const key = 'crud-vip-recalc';

  it('POST creates the definition and a matching schedule', async () => {
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { kind: 'vip-recalculation', params: { windowDays: 90 } }) });
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({ key, version: 1, syncStatus: 'synced', managedBy: 'console', paused: false, scheduleId: `tk-${key}` });
    expect(job.params).toEqual({ windowDays: 90, chunkSize: 10000 });

    const s = await describeSchedule(key);
    expect(s.spec.timezone).toBe('Asia/Shanghai');
    expect(s.policies.overlap).toBe('SKIP');
    expect(s.policies.catchupWindow).toBe(600_000);
    expect(s.state.paused).toBe(false);
    const action = s.action as { workflowType: string; taskQueue: string; args: Array<Record<string, unknown>> };
    expect(action.workflowType).toBe('runJob');
    expect(action.taskQueue).toBe(h.config.TEMPORAL_TASK_QUEUE);
    expect(action.args[0]).toMatchObject({ jobKey: key, kind: 'vip-recalculation', definitionVersion: 1, timezone: 'Asia/Shanghai' });
    // 03:00 in Shanghai is 19:00 UTC the day before.
    const next = s.info.nextActionTimes[0];
    expect(next.getUTCHours()).toBe(19);
    expect(next.getUTCMinutes()).toBe(0);
  });

  it('the same key twice is a 409', async () => {
    const res = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('job_exists');
  });

  it('GET returns it with an ETag; the list finds it by tag, kind and text', async () => {
    const res = await h.call({ method: 'GET', url: `/v1/jobs/${key}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    for (const q of ['tag=loyalty', 'kind=vip-recalculation', 'text=crud-vip', 'paused=false']) {
      const list = await h.call({ method: 'GET', url: `/v1/jobs?${q}` });
      expect(list.statusCode, `${q}: ${list.body}`).toBe(200);
      expect(list.json().items.map((j: { key: string }) => j.key)).toContain(key);
    }
    const none = await h.call({ method: 'GET', url: '/v1/jobs?tag=nope' });
    expect(none.json().items).toEqual([]);
  });

  it('PATCH without If-Match is 428, with a stale version 412, with the right one updates the schedule', async () => {
    const patch = { schedule: { cron: '30 4 * * 1-5', timezone: 'Europe/London' } };
    expect((await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: patch })).statusCode).toBe(428);
    const stale = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: patch, headers: { 'if-match': '7' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toBe('version_mismatch');
    const ok = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: patch, headers: { 'if-match': '"1"' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, schedule: { cron: '30 4 * * 1-5', timezone: 'Europe/London', overlapPolicy: 'skip' } });
    const s = await describeSchedule(key);
    expect(s.spec.timezone).toBe('Europe/London');
    expect((s.action as { args: Array<{ definitionVersion: number }> }).args[0].definitionVersion).toBe(2);
  });

  it('pause and resume are seen in Temporal, with the note', async () => {
    const paused = await h.call({ method: 'POST', url: `/v1/jobs/${key}/pause`, body: { note: 'maintenance window' }, key: h.keys.operator });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ paused: true, pauseNote: 'maintenance window' });
    let s = await describeSchedule(key);
    expect(s.state.paused).toBe(true);
    expect(s.state.note).toBe('maintenance window');
    const resumed = await h.call({ method: 'POST', url: `/v1/jobs/${key}/resume`, body: {}, key: h.keys.operator });
    expect(resumed.json().paused).toBe(false);
    s = await describeSchedule(key);
    expect(s.state.paused).toBe(false);
  });

  it('trigger starts a workflow for the job and answers which', async () => {
    const res = await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: { overlap: 'allow_all' }, key: h.keys.operator });
    expect(res.statusCode).toBe(202);
    const { outcome, workflowId } = res.json();
    expect(outcome).toBe('started');
    expect(workflowId).toMatch(new RegExp(`^tk-${key}-`));
    expect((await describeSchedule(key)).info.recentActions.map((a) => a.action.workflow.workflowId)).toContain(workflowId);
    const wf = await h.temporal.workflow.getHandle(workflowId).describe();
    expect(wf.type).toBe('runJob');
    expect(wf.taskQueue).toBe(h.config.TEMPORAL_TASK_QUEUE);
  });

  // Temporal names a triggered run by its second and drops a second start of the same name silently.
  it('triggers sent together each start a run of their own', async () => {
    const taken = (await describeSchedule(key)).info.numActionsTaken;
    const triggers = await Promise.all([1, 2, 3].map(() => h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: { overlap: 'allow_all' }, key: h.keys.operator })));
    expect(triggers.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    const ids = triggers.map((r) => r.json().workflowId);
    expect(triggers.map((r) => r.json().outcome)).toEqual(['started', 'started', 'started']);
    expect(new Set(ids).size).toBe(3);
    const after = (await describeSchedule(key)).info;
    expect(after.numActionsTaken).toBe(taken + 3);
    for (const id of ids) expect(after.recentActions.map((a) => a.action.workflow.workflowId)).toContain(id);
  });

  it('a trigger the overlap policy drops or queues says so', async () => {
    // Temporal counts only runs started under a policy other than allow_all as running; no worker serves
    // this queue, so this one keeps running.
    const first = await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: { overlap: 'skip' }, key: h.keys.operator });
    expect(first.json().outcome).toBe('started');
    const skipped = await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: { overlap: 'skip' }, key: h.keys.operator });
    expect(skipped.json()).toEqual({ outcome: 'skipped', workflowId: null });
    const queued = await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: { overlap: 'buffer_one' }, key: h.keys.operator });
    expect(queued.json()).toEqual({ outcome: 'queued', workflowId: null });
    await h.temporal.workflow.getHandle(first.json().workflowId).terminate('test cleanup');
  });

  it('backfill refuses a range with more slots than the limit, naming the count', async () => {
    const res = await h.call({
      method: 'POST',
      url: `/v1/jobs/${key}/backfill`,
      body: { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      key: h.keys.operator,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/would start more than 1000 runs; the limit is 1000/);
  });

  it('every change left an audit entry with actor, before and after', async () => {
    const res = await h.call({ method: 'GET', url: `/v1/audit?job=${key}` });
    const actions = res.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([...Array(7).fill('job.trigger'), 'job.resume', 'job.pause', 'job.update', 'job.create']);
    const update = res.json().items.find((e: { action: string }) => e.action === 'job.update');
    expect(update.actor).toBe('admin-env');
    expect(update.before.schedule.cron).toBe('0 3 * * *');
    expect(update.after.schedule.cron).toBe('30 4 * * 1-5');
  });

  it('DELETE removes the definition and the schedule', async () => {
    const res = await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
    expect(res.statusCode).toBe(204);
    expect((await h.call({ method: 'GET', url: `/v1/jobs/${key}` })).statusCode).toBe(404);
    await expect(describeSchedule(key)).rejects.toThrow(/not found/i);
  });
});

describe('PATCH changes only what it names', () => {
  it('a new cron keeps the zone and policies; a retry field keeps the other retry fields', async () => {
    const key = 'patch-partial-job';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { schedule: { cron: '0 3 * * *', timezone: 'Europe/London', overlapPolicy: 'buffer_one' } }) })).statusCode).toBe(201);
    const cron = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { schedule: { cron: '45 4 * * 1-5' } }, headers: { 'if-match': '1' } });
    expect(cron.statusCode).toBe(200);
    expect(cron.json()).toMatchObject({ version: 2, schedule: { cron: '45 4 * * 1-5', timezone: 'Europe/London', overlapPolicy: 'buffer_one', catchupWindow: '10m' } });
    const retry = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { retry: { maxAttempts: 2 } }, headers: { 'if-match': '2' } });
    expect(retry.json().retry).toEqual({ maxAttempts: 2, initialInterval: '10s', maxInterval: '5m', backoffCoefficient: 2, nonRetryableErrorTypes: [] });
    const s = await describeSchedule(key);
    expect(s.spec.timezone).toBe('Europe/London');
    expect(s.policies.overlap).toBe('BUFFER_ONE');
    await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });
});

describe('config-managed jobs', () => {
  it('refuse edits through the API but allow pause and resume', async () => {
    const key = 'cfg-managed-report';
    const { job } = await h.services.commands.create(jobBody(key, { kind: 'report-generation', params: {} }) as never, 'config', 'config');
    const edit = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { name: 'x' }, headers: { 'if-match': String(job.version) } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().message).toMatch(/config\/jobs\.yaml/);
    expect((await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` })).statusCode).toBe(409);
    expect((await h.call({ method: 'POST', url: `/v1/jobs/${key}/pause`, body: {}, key: h.keys.operator })).json().paused).toBe(true);
    await h.services.commands.remove(key, 'test', { fromConfig: true });
  });
});

describe('next runs', () => {
  it('come from the live schedule, in UTC and the zone, with DST flags', async () => {
    const key = 'next-runs-ny';
    const created = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { schedule: { cron: '30 2 * * *', timezone: 'America/New_York' } }) });
    expect(created.statusCode).toBe(201);
    const res = await h.call({ method: 'GET', url: `/v1/jobs/${key}/next-runs?count=5`, key: h.keys.viewer });
    expect(res.statusCode).toBe(200);
    const { source, items } = res.json() as { source: string; items: Array<{ utc: string; local: string; timezone: string; dayLengthHours: number }> };
    expect(source).toBe('schedule');
    expect(items).toHaveLength(5);
    for (const t of items) {
      expect(t.timezone).toBe('America/New_York');
      expect(t.local).toMatch(/T02:30:00(\.000)?-0[45]:00$/);
      expect(new Date(t.utc).getTime()).toBe(new Date(t.local).getTime());
    }
    await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });

  it('of several jobs come in one request, in the order asked, the same as one by one; a deleted job is named missing', async () => {
    const keys = ['next-of-berlin', 'next-of-hourly'];
    await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(keys[0], { schedule: { cron: '15 4 * * *', timezone: 'Europe/Berlin' } }) });
    await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(keys[1], { schedule: { interval: '1h', timezone: 'UTC' } }) });
    const res = await h.call({ method: 'GET', url: `/v1/next-runs?key=${keys[1]}&key=no-such-job&key=${keys[0]}&count=4`, key: h.keys.viewer });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { jobs: Array<{ key: string; source: string; timeBasis: string; items: unknown[] }>; missing: string[] };
    expect(body.jobs.map((j) => j.key)).toEqual([keys[1], keys[0]]);
    expect(body.missing).toEqual(['no-such-job']);
    for (const j of body.jobs) {
      const one = await h.call({ method: 'GET', url: `/v1/jobs/${j.key}/next-runs?count=4`, key: h.keys.viewer });
      expect({ key: j.key, ...one.json() }).toEqual(j);
      expect(j.items).toHaveLength(4);
    }
    expect(body.jobs[0].timeBasis).toBe('absolute');
    expect(body.jobs[1].timeBasis).toBe('wall-clock');
    for (const key of keys) await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });

  it('follow an edit at once: a cached answer is for one version of one job row', async () => {
    const key = 'next-runs-edited';
    const created = await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { schedule: { cron: '0 3 * * *', timezone: 'UTC' } }) });
    const hours = async () => {
      const res = await h.call({ method: 'GET', url: `/v1/next-runs?key=${key}&count=2`, key: h.keys.viewer });
      return (res.json().jobs[0].items as Array<{ utc: string }>).map((s) => new Date(s.utc).getUTCHours());
    };
    expect(await hours()).toEqual([3, 3]);
    const edit = await h.call({ method: 'PATCH', url: `/v1/jobs/${key}`, body: { schedule: { cron: '0 5 * * *', timezone: 'UTC' } }, headers: { 'if-match': String(created.json().version) } });
    expect([200, 202]).toContain(edit.statusCode);
    expect(await hours()).toEqual([5, 5]);
    // Deleted and made again under its key, it starts at version 1 again: still not the old answer.
    expect((await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` })).statusCode).toBe(204);
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { schedule: { cron: '0 7 * * *', timezone: 'UTC' } }) })).statusCode).toBe(201);
    expect(await hours()).toEqual([7, 7]);
    await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });

  it('Run now of a job whose schedule was deleted in Temporal is a 409 that says so', async () => {
    const key = 'trigger-unscheduled';
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key, { schedule: { cron: '0 3 * * *', timezone: 'UTC' } }) })).statusCode).toBe(201);
    await h.temporal.schedule.getHandle(scheduleIdFor(key)).delete();
    const trigger = await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: {}, key: h.keys.operator });
    expect(trigger.statusCode).toBe(409);
    expect(trigger.json()).toMatchObject({ error: 'schedule_missing', message: expect.stringContaining('missing in Temporal') });
    await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });

  it('preview flags the spring-forward gap and the 23-hour day', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/v1/schedules/preview',
      body: { cron: '0 * * * *', timezone: 'America/New_York', count: 4, from: '2026-03-08T05:30:00Z' },
      key: h.keys.operator,
    });
    expect(res.statusCode).toBe(200);
    const { timeBasis, items } = res.json() as { timeBasis: string; items: Array<{ utc: string; local: string; dayLengthHours: number; shiftedFrom?: string[] }> };
    expect(timeBasis).toBe('wall-clock');
    // 01:00 EST, then 02:00 does not exist: by the default policy ("shift") it runs at 03:00 EDT, with 03:00's own slot.
    expect(items[0]).toMatchObject({ utc: '2026-03-08T06:00:00.000Z', dayLengthHours: 23 });
    expect(items[1]).toMatchObject({ utc: '2026-03-08T07:00:00.000Z', dayLengthHours: 23, shiftedFrom: ['02:00'] });
    expect(items[1].local).toMatch(/T03:00:00(\.000)?-04:00$/);
  });
});
