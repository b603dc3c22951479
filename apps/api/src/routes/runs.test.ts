import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { RUN_WORKFLOW_TYPE, RunPageSchema, type SlotProgress } from '@timekeeper/contracts';
import { JobDefinition, JobSlot } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInputOf } from '../services/job-mapper';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// No worker polls this suite's task queue: runs stay where the test puts them.
let h: Harness;
// A key of this run's own: schedules and visibility are shared by every suite on the Temporal server,
// and runs another run of this suite left waiting would be listed too (from visibility).
const key = `runs-listing-${Date.now().toString(36)}`;
beforeAll(async () => {
  h = await startHarness('api_runs');
  expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key) })).statusCode).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

describe('runs', () => {
  it('lists ledger slots newest first, with verdict, error and progress, filtered by status', async () => {
    const em = h.orm.em.fork();
    const slot = (minute: number, status: JobSlot['status'], extra: Partial<JobSlot> = {}) =>
      Object.assign(new JobSlot(), { jobKey: key, kind: 'synthetic', nominalTime: new Date(Date.UTC(2026, 0, 1, 3, minute)), status, attempt: 1, ...extra });
    em.persist([
      slot(0, 'succeeded', { result: { chunks: 2 } }),
      slot(1, 'failed', { errorType: 'SyntheticError', errorMessage: 'boom at chunk 1', progress: { chunk: 1, cursor: '2', counts: { chunks: 2 } } }),
      slot(2, 'running', { progress: { chunk: 0, cursor: '1', counts: { chunks: 1 } } }),
    ]);
    await em.flush();
    const all = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/runs`, key: h.keys.viewer })).json();
    expect(all.items.map((r: { status: string }) => r.status)).toEqual(['running', 'failed', 'succeeded']);
    expect(all.items[1]).toMatchObject({ slot: '2026-01-01T03:01:00.000Z', errorType: 'SyntheticError', errorMessage: 'boom at chunk 1', source: 'ledger' });
    const failed = (await h.call({ method: 'GET', url: `/v1/runs?job=${key}&status=failed`, key: h.keys.viewer })).json();
    expect(failed.items).toHaveLength(1);
    const page = (await h.call({ method: 'GET', url: `/v1/runs?job=${key}&limit=2`, key: h.keys.viewer })).json();
    expect(page.items).toHaveLength(2);
    const next = (await h.call({ method: 'GET', url: `/v1/runs?job=${key}&limit=2&cursor=${page.nextCursor}`, key: h.keys.viewer })).json();
    expect(next.items.map((r: { status: string }) => r.status)).toEqual(['succeeded']);
  });

  it('the listing has the shape of the contract, estimate and all, for every verdict', async () => {
    // TypeBox checks formats only once told what they mean; ajv (the API's validator) knows these.
    FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
    const em = h.orm.em.fork();
    const progress: SlotProgress = {
      chunk: 2, cursor: '3', counts: { chunks: 3 }, fence: 4, attempt: 2,
      unit: 'chunks', total: 8, done: 3, startedAt: '2026-02-01T03:00:01.000Z', startDone: 1, at: '2026-02-01T03:00:05.000Z',
    };
    const statuses = ['planned', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'superseded', 'skipped', 'missed'] as const;
    em.persist(statuses.map((status, i) =>
      Object.assign(new JobSlot(), {
        jobKey: key, kind: 'synthetic', nominalTime: new Date(Date.UTC(2026, 1, 1, 3, i)), status, attempt: 2, fence: 4,
        workflowId: status === 'planned' ? null : `tk-${key}-${i}`, runId: status === 'planned' ? null : `run-${i}`,
        startedAt: status === 'planned' ? null : new Date(Date.UTC(2026, 1, 1, 3, i, 1)),
        progress: status === 'planned' ? null : progress,
      }),
    ));
    await em.flush();
    for (const url of [`/v1/jobs/${key}/runs?from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z`, `/v1/runs?job=${key}&from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z`]) {
      const res = await h.call({ method: 'GET', url, key: h.keys.viewer });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect([...Value.Errors(RunPageSchema, body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
      expect(body.items.map((r: { status: string }) => r.status)).toEqual([...statuses].reverse());
      // Nothing of the estimate is dropped on the way out (the response schema would drop unknown fields).
      expect(body.items.find((r: { status: string }) => r.status === 'running').progress).toEqual(progress);
    }
    const superseded = (await h.call({ method: 'GET', url: `/v1/runs?job=${key}&status=superseded`, key: h.keys.viewer })).json();
    expect(superseded.items).toHaveLength(1);
  });

  it("a deleted job's history stays readable; a key with neither a job nor history is a 404", async () => {
    const gone = `${key}-gone`;
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(gone) })).statusCode).toBe(201);
    const em = h.orm.em.fork();
    em.persist(Object.assign(new JobSlot(), { jobKey: gone, kind: 'synthetic', nominalTime: new Date(Date.UTC(2026, 0, 2, 3, 0)), status: 'succeeded', attempt: 1 }));
    await em.flush();
    expect([202, 204]).toContain((await h.call({ method: 'DELETE', url: `/v1/jobs/${gone}` })).statusCode);
    expect((await h.call({ method: 'GET', url: `/v1/jobs/${gone}`, key: h.keys.viewer })).statusCode).toBe(404);
    const history = await h.call({ method: 'GET', url: `/v1/jobs/${gone}/runs`, key: h.keys.viewer });
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((r: { slot: string; status: string }) => [r.slot, r.status])).toEqual([['2026-01-02T03:00:00.000Z', 'succeeded']]);
    // An empty page of a job with history is an empty page, not a 404.
    const none = await h.call({ method: 'GET', url: `/v1/jobs/${gone}/runs?status=failed`, key: h.keys.viewer });
    expect(none.statusCode).toBe(200);
    expect(none.json().items).toEqual([]);
    const unknown = await h.call({ method: 'GET', url: `/v1/jobs/${key}-never/runs`, key: h.keys.viewer });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain(`${key}-never`);
  });

  it('a run Temporal started that no worker picked up shows as planned, from visibility', async () => {
    await h.call({ method: 'POST', url: `/v1/jobs/${key}/trigger`, body: {}, key: h.keys.operator });
    let run: { status: string; source: string; workflowId: string } | undefined;
    for (let i = 0; i < 40 && !run; i++) {
      const items = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/runs`, key: h.keys.viewer })).json().items;
      run = items.find((r: { source: string }) => r.source === 'temporal');
      if (!run) await new Promise((r) => setTimeout(r, 250));
    }
    expect(run).toMatchObject({ status: 'planned', source: 'temporal' });
    expect(run!.workflowId).toMatch(new RegExp(`^tk-${key}-`));

    // Retry is refused while it runs; after it ends unsuccessfully, a new execution repeats its slot and input.
    const refused = await h.call({ method: 'POST', url: `/v1/runs/${run!.workflowId}/retry`, key: h.keys.operator });
    expect(refused.statusCode).toBe(409);
    const cancel = await h.call({ method: 'POST', url: `/v1/runs/${run!.workflowId}/cancel`, key: h.keys.operator });
    expect(cancel.statusCode).toBe(202);
    await h.temporal.workflow.getHandle(run!.workflowId).terminate('test: stands in for a failed run');
    const retried = await h.call({ method: 'POST', url: `/v1/runs/${run!.workflowId}/retry`, key: h.keys.operator });
    expect(retried.statusCode).toBe(202);
    const { workflowId, slot } = retried.json();
    const original = await h.temporal.workflow.getHandle(run!.workflowId).describe();
    const scheduled = (original.searchAttributes.TemporalScheduledStartTime as Date[])[0];
    expect(slot).toBe(scheduled.toISOString());
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const input = h.temporal.options.loadedDataConverter.payloadConverter.fromPayload<Record<string, unknown>>(
      history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0],
    );
    expect(input).toMatchObject({ jobKey: key, kind: 'synthetic', slot });
    await h.temporal.workflow.getHandle(workflowId).terminate('test cleanup');
    const audit = (await h.call({ method: 'GET', url: `/v1/audit?job=${key}` })).json().items.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 3)).toEqual(['run.retry', 'run.cancel', 'job.trigger']);
  });

  it('lists waiting runs of its own task queue only, and only those whose slot is in the window', async () => {
    // A run of the same job key on another installation's task queue (shared namespace): never listed.
    const slot = new Date(Date.now() - 60_000);
    const foreign = await h.temporal.workflow.start(RUN_WORKFLOW_TYPE, {
      workflowId: `tk-${key}-foreign-${Date.now()}`,
      taskQueue: `elsewhere-${key}`,
      args: [{ jobKey: key, slot: slot.toISOString() }],
      searchAttributes: { TimekeeperJobKey: [key], TimekeeperSlot: [slot] },
    });
    const own = await h.temporal.workflow.start(RUN_WORKFLOW_TYPE, {
      workflowId: `tk-${key}-own-${Date.now()}`,
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      args: [{ jobKey: key, slot: slot.toISOString() }],
      searchAttributes: { TimekeeperJobKey: [key], TimekeeperSlot: [slot] },
    });
    try {
      let items: Array<{ workflowId: string }> = [];
      for (let i = 0; i < 60 && !items.some((r) => r.workflowId === own.workflowId); i++) {
        items = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/runs`, key: h.keys.viewer })).json().items;
        if (!items.some((r) => r.workflowId === own.workflowId)) await new Promise((r) => setTimeout(r, 250));
      }
      expect(items.map((r) => r.workflowId)).toContain(own.workflowId);
      expect(items.map((r) => r.workflowId)).not.toContain(foreign.workflowId);
      // A window after its slot leaves it out (the visibility answer is shared, the window is applied per listing).
      const later = (await h.call({ method: 'GET', url: `/v1/jobs/${key}/runs?from=${new Date(slot.getTime() + 1).toISOString()}`, key: h.keys.viewer })).json();
      expect(later.items.map((r: { workflowId: string }) => r.workflowId)).not.toContain(own.workflowId);
    } finally {
      await foreign.terminate('test cleanup');
      await own.terminate('test cleanup');
    }
  });

  it('lists planned slots from the ledger for several jobs at once, by status and time range, page by page', async () => {
    const em = h.orm.em.fork();
    const base = Date.now() + 3_600_000;
    const planned = (jobKey: string, minutes: number) =>
      Object.assign(new JobSlot(), { jobKey, kind: 'synthetic', nominalTime: new Date(base + minutes * 60_000), status: 'planned', runs: 0 });
    em.persist(['plan-a', 'plan-b', 'plan-c'].flatMap((k) => [0, 1, 2].map((m) => planned(k, m))));
    await em.flush();
    const range = `from=${new Date(base).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`;
    const url = `/v1/runs?job=plan-a,plan-b&status=planned,running&order=asc&limit=4&${range}`;
    const first = (await h.call({ method: 'GET', url, key: h.keys.viewer })).json();
    expect(first.items.map((r: { jobKey: string; slot: string }) => `${r.jobKey}@${r.slot}`)).toEqual([
      `plan-a@${new Date(base).toISOString()}`,
      `plan-b@${new Date(base).toISOString()}`,
      `plan-a@${new Date(base + 60_000).toISOString()}`,
      `plan-b@${new Date(base + 60_000).toISOString()}`,
    ]);
    expect(first.items[0]).toMatchObject({ status: 'planned', runs: 0, source: 'ledger' });
    const second = (await h.call({ method: 'GET', url: `${url}&cursor=${first.nextCursor}`, key: h.keys.viewer })).json();
    expect(second.items.map((r: { jobKey: string }) => r.jobKey)).toEqual(['plan-a', 'plan-b']);
    expect(second.nextCursor).toBeNull();
    // Without a `to`, the listing is the history: the planned slots ahead are not in it.
    const history = (await h.call({ method: 'GET', url: '/v1/runs?job=plan-a,plan-c', key: h.keys.viewer })).json();
    expect(history.items).toEqual([]);
  });

  it('refuses bad run filters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['status=planned,bogus', 'status'],
      ['job=ok-job,Not_A_Key', 'job'],
      [`from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`, 'to'],
      ['order=sideways', 'order'],
    ] as const) {
      const res = await h.call({ method: 'GET', url: `/v1/runs?${query}`, key: h.keys.viewer });
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json().details ?? res.json()), query).toContain(field);
    }
  });

  it('a retry of a slot whose ledger row and checkpoints data-cleanup deleted is refused with a 409 naming the retention', async () => {
    const cleanup = jobBody('runs-cleanup-job', { kind: 'data-cleanup', params: { batchSize: 100, runRetentionDays: 7 } });
    expect((await h.call({ method: 'POST', url: '/v1/jobs', body: cleanup })).statusCode).toBe(201);
    // A run of a slot 30 days back that ended unsuccessfully; its ledger row is gone (cleaned up).
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    const definition = await h.orm.em.fork().findOneOrFail(JobDefinition, { key });
    const runOf = async (slot: string) => {
      const workflowId = `tk-${key}-${slot}-test`;
      await h.temporal.workflow.start(RUN_WORKFLOW_TYPE, { workflowId, taskQueue: h.config.TEMPORAL_TASK_QUEUE, args: [{ ...runInputOf(definition), slot }] });
      await h.temporal.workflow.getHandle(workflowId).terminate('test: stands in for a failed run');
      return workflowId;
    };
    const refused = await h.call({ method: 'POST', url: `/v1/runs/${await runOf(old)}/retry`, key: h.keys.operator });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'slot_past_retention' });
    expect(refused.json().message).toContain('run retention (7 days, runRetentionDays of data-cleanup job runs-cleanup-job)');

    // A recent slot without a row (no attempt recorded it) and an old slot whose row is still there may be retried.
    const fresh = await h.call({ method: 'POST', url: `/v1/runs/${await runOf(recent)}/retry`, key: h.keys.operator });
    expect(fresh.statusCode).toBe(202);
    const kept = await runOf(new Date(Date.parse(old) + 60_000).toISOString());
    const em = h.orm.em.fork();
    em.persist(Object.assign(new JobSlot(), { jobKey: key, kind: 'synthetic', nominalTime: new Date(Date.parse(old) + 60_000), status: 'failed', attempt: 1 }));
    await em.flush();
    const keptRetry = await h.call({ method: 'POST', url: `/v1/runs/${kept}/retry`, key: h.keys.operator });
    expect(keptRetry.statusCode).toBe(202);
    for (const res of [fresh, keptRetry]) await h.temporal.workflow.getHandle(res.json().workflowId).terminate('test cleanup');
  });

  it('an unknown run is 404, a foreign id 400', async () => {
    expect((await h.call({ method: 'POST', url: '/v1/runs/tk-nope-2026-01-01T00:00:00Z/retry', key: h.keys.operator })).statusCode).toBe(404);
    expect((await h.call({ method: 'POST', url: '/v1/runs/other-thing/cancel', key: h.keys.operator })).statusCode).toBe(400);
  });
});
