import { randomUUID } from 'node:crypto';
import type { RunInput } from '@timekeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Retry and backfill explain slot order before they start anything (issue 9 #2): a latest-state slot
// older than the job's newest committed slot (job_fences.state_slot) is named in a 409 unless the
// caller confirms; period-keyed jobs are not asked. No worker polls this suite's task queue.
let h: Harness;
const MONDAY = '2026-11-16T03:00:00.000Z';
const TUESDAY = '2026-11-17T03:00:00.000Z';
// Keys of their own per run: schedules and workflow ids live on in the shared Temporal namespace.
const RUN = randomUUID().slice(0, 6);
beforeAll(async () => {
  h = await startHarness('api_slot_order');
}, 60_000);
afterAll(async () => h?.close());

/** What the worker leaves behind once a latest-state slot's chunk commits. */
const setStateSlot = (jobKey: string, slot: string) =>
  h.orm.em.fork().execute('insert into job_fences (job_key, fence, commits, state_slot, updated_at) values (?, 1, 1, ?, now(3)) on duplicate key update state_slot = values(state_slot)', [jobKey, new Date(slot)]);

/** A closed, unsuccessful run of `slot` (terminated: it stands in for a failed one). */
async function failedRun(jobKey: string, kind: string, slot: string): Promise<string> {
  const input: RunInput = {
    jobKey, kind, params: {}, timezone: 'UTC', definitionVersion: 1, slot,
    retry: { maxAttempts: 1, initialIntervalMs: 1_000, maxIntervalMs: 1_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { startToCloseMs: 60_000, heartbeatMs: 10_000 },
    lock: { required: true, ttlMs: 30_000 },
  };
  const workflowId = `tk-${jobKey}-${slot}`;
  const handle = await h.temporal.workflow.start('runJob', { taskQueue: h.config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] });
  await handle.terminate('test: stands in for a failed run');
  return workflowId;
}

const retry = (workflowId: string, body?: unknown) => h.call({ method: 'POST', url: `/v1/runs/${workflowId}/retry`, body, key: h.keys.operator });
const terminate = (workflowId: string) => h.temporal.workflow.getHandle(workflowId).terminate('test cleanup');

describe('the run listing', () => {
  it('shows a superseded slot with the newer slot, and filters by it', async () => {
    const key = `order-api-list-${RUN}`;
    await h.orm.em.fork().execute(
      `insert into job_slots (job_key, nominal_time, kind, status, attempt, result, error_type, error_message, created_at, updated_at)
       values (?, ?, 'vip-recalculation', 'superseded', 1, ?, 'Superseded', ?, now(3), now(3)), (?, ?, 'vip-recalculation', 'succeeded', 1, null, null, null, now(3), now(3))`,
      [key, new Date(MONDAY), JSON.stringify({ supersededBy: TUESDAY }), `superseded by newer slot ${TUESDAY}`, key, new Date(TUESDAY)],
    );
    const res = await h.call({ method: 'GET', url: `/v1/runs?job=${key}&status=superseded`, key: h.keys.viewer });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ slot: MONDAY, status: 'superseded', result: { supersededBy: TUESDAY }, errorType: 'Superseded' })]);
  });
});

describe('Retry of a latest-state slot', () => {
  it("older than the newest committed slot: 409 naming it; confirmed, it starts and says so", async () => {
    const key = `order-api-vip-${RUN}`;
    const run = await failedRun(key, 'vip-recalculation', MONDAY);
    await setStateSlot(key, TUESDAY);

    const refused = await retry(run, {});
    expect(refused.statusCode).toBe(409);
    const body = refused.json();
    expect(body).toMatchObject({ error: 'slot_superseded', jobKey: key, superseded: { newerSlot: TUESDAY, count: 1, slots: [MONDAY] } });
    expect(body.message).toContain(`Slot ${MONDAY} of job "${key}" is older than slot ${TUESDAY}`);
    expect(body.details).toEqual([{ field: 'confirmSuperseded', message: 'set to true to start anyway' }]);

    const confirmed = await retry(run, { confirmSuperseded: true });
    expect(confirmed.statusCode).toBe(202);
    expect(confirmed.json()).toMatchObject({ jobKey: key, slot: MONDAY, supersededBy: TUESDAY });
    await terminate(confirmed.json().workflowId);
    const audit = (await h.call({ method: 'GET', url: `/v1/audit?job=${key}` })).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['run.retry']);
  });

  it('not older than the newest committed slot (or none yet): starts without asking', async () => {
    const key = `order-api-vip-new-${RUN}`;
    const run = await failedRun(key, 'vip-recalculation', TUESDAY);
    const fresh = await retry(run);
    expect(fresh.statusCode).toBe(202);
    expect(fresh.json().supersededBy).toBeNull();
    await terminate(fresh.json().workflowId);
    await setStateSlot(key, TUESDAY); // the same slot resumes its own state
    const same = await retry(run);
    expect(same.statusCode).toBe(202);
    await terminate(same.json().workflowId);
  });

  it('of a period-keyed kind is never refused', async () => {
    const key = `order-api-report-${RUN}`;
    const run = await failedRun(key, 'report-generation', MONDAY);
    await setStateSlot(key, TUESDAY);
    const res = await retry(run);
    expect(res.statusCode).toBe(202);
    expect(res.json().supersededBy).toBeNull();
    await terminate(res.json().workflowId);
  });

  it('a bad body is a 400 naming the field', async () => {
    const res = await retry('tk-order-api-vip-2026-11-16T03:00:00.000Z', { confirmSuperseded: 'yes please' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'confirmSuperseded' })]);
  });
});

describe('Backfill of a latest-state job', () => {
  const key = `order-api-vip-backfill-${RUN}`;
  const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-05T23:00:00.000Z' };
  const slots = [1, 2, 3, 4, 5].map((d) => `2026-11-0${d}T03:00:00.000Z`);
  const backfill = (body: Record<string, unknown>) => h.call({ method: 'POST', url: `/v1/jobs/${key}/backfill`, body: { ...range, ...body }, key: h.keys.operator });

  beforeAll(async () => {
    const created = await h.call({
      method: 'POST',
      url: '/v1/jobs',
      body: jobBody(key, { kind: 'vip-recalculation', params: {}, schedule: { cron: '0 3 * * *', timezone: 'UTC', jitter: '0s', overlapPolicy: 'skip', catchupWindow: '10m' } }),
    });
    expect(created.statusCode).toBe(201);
  });

  it('a dry run counts the slots and names the superseded ones, starting nothing', async () => {
    const clean = await backfill({ dryRun: true });
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toEqual({ slots: 5, started: false, superseded: null });

    await setStateSlot(key, slots[2]);
    const dry = await backfill({ dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ slots: 5, started: false, superseded: { newerSlot: slots[2], count: 2, slots: slots.slice(0, 2) } });
  });

  it('without confirmation: 409 listing the superseded slots, and nothing is started', async () => {
    const res = await backfill({ overlap: 'allow_all' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'slot_superseded', jobKey: key, superseded: { newerSlot: slots[2], count: 2, slots: slots.slice(0, 2) } });
    expect(res.json().message).toContain(`2 of the 5 slots of this backfill of job "${key}" (${slots[0]} to ${slots[1]}) are older than slot ${slots[2]}`);
    const audit = (await h.call({ method: 'GET', url: `/v1/audit?job=${key}` })).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['job.create']);
  });

  it('confirmed: starts every slot and the answer names the superseded ones', async () => {
    const since = new Date();
    const res = await backfill({ overlap: 'allow_all', confirmSuperseded: true });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ slots: 5, started: true, superseded: { newerSlot: slots[2], count: 2, slots: slots.slice(0, 2) } });
    const audit = (await h.call({ method: 'GET', url: `/v1/audit?job=${key}` })).json().items[0];
    expect(audit).toMatchObject({ action: 'job.backfill', after: { slots: 5, superseded: 2 } });
    await cleanUpBackfill(key, since, 5);
  });
});

describe('Backfill of a period-keyed job', () => {
  it('is never refused, whatever the state slot says', async () => {
    const key = `order-api-report-backfill-${RUN}`;
    const created = await h.call({
      method: 'POST',
      url: '/v1/jobs',
      body: jobBody(key, { kind: 'report-generation', params: {}, schedule: { cron: '0 3 * * *', timezone: 'UTC', jitter: '0s', overlapPolicy: 'skip', catchupWindow: '10m' } }),
    });
    expect(created.statusCode).toBe(201);
    await setStateSlot(key, TUESDAY);
    const since = new Date();
    const res = await h.call({ method: 'POST', url: `/v1/jobs/${key}/backfill`, body: { from: '2026-11-02T00:00:00Z', to: '2026-11-02T23:00:00Z' }, key: h.keys.operator });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ slots: 1, started: true, superseded: null });
    await cleanUpBackfill(key, since, 1);
  });
});

/** Terminates the runs a backfill started after `since` (nothing polls this queue), then deletes the job. */
async function cleanUpBackfill(key: string, since: Date, n: number): Promise<void> {
  const schedule = h.temporal.schedule.getHandle(`tk-${key}`);
  let ids: string[] = [];
  for (let i = 0; i < 100 && ids.length < n; i++) {
    const actions = (await schedule.describe()).info.recentActions.filter((a) => a.takenAt.getTime() >= since.getTime() - 1_000);
    ids = actions.map((a) => a.action.workflow.workflowId);
    if (ids.length < n) await new Promise((r) => setTimeout(r, 100));
  }
  expect(ids).toHaveLength(n);
  for (const id of ids) await terminate(id);
  expect((await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` })).statusCode).toBe(204);
}
