import { createOrm } from '@timekeeper/db';
import {
  boundedTransaction,
  lockKey,
  noopMetrics,
  runChunkedJob,
  type ChunkedJob,
  type JobActivityInput,
  type JobDeps,
} from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, sleep, type Harness } from './test-support/harness';

// Bounded locks against the real Temporal, Redis and MariaDB: waiting for a busy lock does not pin
// activity slots, a stuck attempt's lease runs out soon after Temporal gives up on it, statements
// have a timeout, and a failed release never hides the error that ended the routine.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('lock_bounds', { statementTimeoutMs: 1_000 });
  // Two activity slots: before, two runs waiting for one lock were enough to stall the worker.
  await h.startWorker({ maxConcurrentActivities: 2 });
}, 60_000);
afterAll(async () => h?.close(), 30_000);

const slotRow = async (jobKey: string, slot: string) =>
  (await h.sql<Array<{ status: string; attempt: number; error_type: string | null }>>(
    'select status, attempt, error_type from job_slots where job_key = ? and nominal_time = ?',
    [jobKey, new Date(slot)],
  ))[0];

const oneAttempt = { maxAttempts: 1, initialIntervalMs: 100, maxIntervalMs: 100, backoffCoefficient: 1, nonRetryableErrorTypes: [] };

describe('waiting for a busy lock', () => {
  it('leaves the activity slots to other jobs, hands the lock on at release and spends none of the definition attempts', async () => {
    // A real holder: 20 chunks of 300 ms under the lock.
    const holder = await h.start(h.input('synthetic', { chunks: 20, chunkMs: 300 }, { jobKey: 'busy', slot: '2026-11-20T00:00:00.000Z' }));
    await eventually(async () => (await h.redis.exists(lockKey('busy'))) === 1);
    const busySlots = ['2026-11-20T01:00:00.000Z', '2026-11-20T02:00:00.000Z', '2026-11-20T03:00:00.000Z'];
    const busy = await Promise.all(busySlots.map((slot) => h.start(h.input('synthetic', { chunks: 1, chunkMs: 10 }, { jobKey: 'busy', slot, retry: oneAttempt }))));
    const jobCalls = async (handle: (typeof busy)[number]) =>
      (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'synthetic').length;
    // Every waiting run has tried the lock once (LockBusy) and waits in its workflow now.
    await eventually(async () => (await Promise.all(busy.map(jobCalls))).every((n) => n >= 1));

    // Another job still gets a slot: its run finishes while all three wait and the holder works on.
    const other = await h.start(h.input('synthetic', { chunks: 1, chunkMs: 10 }, { jobKey: 'other', slot: '2026-11-20T01:00:00.000Z' }));
    const done = await Promise.race([other.result(), sleep(20_000).then(() => null)]);
    expect(done?.status).toBe('succeeded');
    const [{ status: holderStatus }] = await h.sql<Array<{ status: string }>>('select status from job_slots where job_key = ? and nominal_time = ?', ['busy', new Date('2026-11-20T00:00:00.000Z')]);
    expect(holderStatus).toBe('running');

    // The holder's release wakes the waiter with the oldest slot (a signal), then each waiter's the next.
    expect((await holder.result()).status).toBe('succeeded');
    for (const b of busy) expect((await b.result()).status).toBe('succeeded');
    const signals = (await busy[0].fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'lockFreed');
    expect(signals.length).toBeGreaterThanOrEqual(1);
    for (const [i, slot] of busySlots.entries()) {
      // Attempt 1 of 1, although the activity was called again after LockBusy.
      expect(await slotRow('busy', slot)).toMatchObject({ status: 'succeeded', attempt: 1 });
      expect(await jobCalls(busy[i])).toBeGreaterThanOrEqual(2);
    }
  }, 90_000);
});

describe('statement timeouts', () => {
  it('has its statements aborted by the statement timeout, then releases the lock', async () => {
    const job: ChunkedJob = {
      kind: 'synthetic',
      step: async ({ tx }) => {
        await tx.execute('select sleep(5)');
        return { cursor: null, counts: {} };
      },
    };
    const input: JobActivityInput = {
      jobKey: 'slow-query', kind: 'synthetic', slot: '2026-11-20T01:00:00.000Z', params: {}, timezone: 'UTC',
      lock: { required: true, ttlMs: 5_000 }, workflowId: 'test', runId: 'test',
    };
    const started = Date.now();
    await expect(runChunkedJob(h.deps, input, job)).rejects.toThrow(/max_statement_time/);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await h.redis.exists(lockKey('slow-query'))).toBe(0);
  }, 30_000);

  it('a chunk transaction gets a tighter limit and gives the session its own back', async () => {
    const orm = await createOrm({ url: h.dbUrl, poolMax: 1, statementTimeoutMs: 60_000 });
    try {
      const em = orm.em.fork();
      const started = Date.now();
      await expect(boundedTransaction(em, 300, 60_000, (tx) => tx.execute('select sleep(3)'))).rejects.toThrow(/max_statement_time/);
      expect(Date.now() - started).toBeLessThan(2_500);
      // One connection in this pool: the same session, back at the pool's own limit.
      const [row] = await em.execute<Array<{ t: number }>>('select @@session.max_statement_time as t');
      expect(Number(row.t)).toBe(60);
    } finally {
      await orm.close(true);
    }
  }, 30_000);
});

describe('a failed release', () => {
  const counting = () => {
    const seen = { fenceRejected: 0, failed: [] as string[] };
    const metrics = { ...noopMetrics, fenceRejected: () => void seen.fenceRejected++, activityFailed: (_k: string, type: string) => void seen.failed.push(type) };
    return { seen, deps: { ...h.deps, metrics } satisfies JobDeps };
  };
  const input = (jobKey: string): JobActivityInput => ({
    jobKey, kind: 'synthetic', slot: '2026-11-20T01:00:00.000Z', params: {}, timezone: 'UTC',
    lock: { required: true, ttlMs: 1_000 }, workflowId: 'test', runId: 'test',
  });

  it('never replaces StaleFence: the caller sees it, non-retryable, and the rejection is counted', async () => {
    const { seen, deps } = counting();
    const job: ChunkedJob = {
      kind: 'synthetic',
      // A newer holder took the lock and committed while this one was paused.
      beforeChunk: async () => {
        await h.sql('update job_fences set fence = fence + 100 where job_key = ?', ['release-stale']);
        await h.redis.set(lockKey('release-stale'), 'another-holder', 'PX', 10_000);
      },
      step: async () => ({ cursor: null, counts: {} }),
    };
    await expect(runChunkedJob(deps, input('release-stale'), job)).rejects.toMatchObject({ type: 'StaleFence', nonRetryable: true });
    expect(seen).toEqual({ fenceRejected: 1, failed: ['StaleFence'] });
    expect(await h.redis.get(lockKey('release-stale'))).toBe('another-holder');
  }, 30_000);

  it('never replaces LockLost', async () => {
    const { seen, deps } = counting();
    const job: ChunkedJob = {
      kind: 'synthetic',
      beforeChunk: async ({ chunk }) => {
        if (chunk > 0) return;
        await h.redis.set(lockKey('release-lost'), 'another-holder', 'PX', 10_000);
        await sleep(1_500); // past the next extension, which fails
      },
      step: async ({ chunk }) => ({ cursor: chunk === 0 ? '1' : null, counts: {} }),
    };
    await expect(runChunkedJob(deps, input('release-lost'), job)).rejects.toMatchObject({ type: 'LockLost' });
    expect(seen).toEqual({ fenceRejected: 0, failed: ['LockLost'] });
  }, 30_000);
});
