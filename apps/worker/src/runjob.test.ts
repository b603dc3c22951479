import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

// runJob end to end on the real Temporal dev server, MariaDB and Redis: verdicts in the slot ledger.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('runjob');
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 30_000);

const slotRow = async (jobKey: string, slot: string) =>
  (await h.sql<Array<Record<string, unknown>>>('select * from job_slots where job_key = ? and nominal_time = ?', [jobKey, new Date(slot)]))[0];

describe('runJob', () => {
  it('runs the synthetic job chunk by chunk and records the verdict', async () => {
    const input = h.input('synthetic', { chunks: 4, chunkMs: 20 }, { jobKey: 'syn-ok', slot: '2026-11-01T03:00:00.000Z' });
    const summary = await (await h.start(input)).result();
    expect(summary).toMatchObject({ status: 'succeeded', slot: '2026-11-01T03:00:00.000Z', slotSource: 'input', result: { chunks: 4, counts: { chunks: 4 } } });
    const row = await slotRow('syn-ok', input.slot!);
    expect(row).toMatchObject({ status: 'succeeded', attempt: 1, error_type: null });
    const [{ n }] = await h.sql<Array<{ n: number }>>('select count(*) as n from job_checkpoints where job_key = ?', ['syn-ok']);
    expect(n).toBe(4);
    const [{ e }] = await h.sql<Array<{ e: number }>>("select count(*) as e from outbox where json_value(payload, '$.type') = 'synthetic.chunk' and `key` = ?", ['syn-ok']);
    expect(e).toBe(4);
  }, 60_000);

  it('a non-retryable failure ends failed with its type and message', async () => {
    const input = h.input('synthetic', { chunks: 3, chunkMs: 10, failAtChunk: 1, failure: 'non-retryable' }, { jobKey: 'syn-fatal', slot: '2026-11-01T04:00:00.000Z' });
    await expect((await h.start(input)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await slotRow('syn-fatal', input.slot!)).toMatchObject({ status: 'failed', error_type: 'SyntheticFatal', attempt: 1 });
  }, 60_000);

  it('failOnRetry: false fails a scheduled run but lets a Retry (explicit slot) succeed', async () => {
    const params = { chunks: 2, chunkMs: 10, failAtChunk: 1, failure: 'non-retryable', failOnRetry: false };
    const scheduled = h.input('synthetic', params, { jobKey: 'syn-demo-retry' });
    delete scheduled.slot;
    await expect((await h.start(scheduled)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const retried = h.input('synthetic', params, { jobKey: 'syn-demo-retry', slot: '2026-11-01T04:30:00.000Z' });
    expect(await (await h.start(retried)).result()).toMatchObject({ status: 'succeeded' });
  }, 60_000);

  it('a retryable failure is retried up to maxAttempts, then fails', async () => {
    const input = h.input('synthetic', { chunks: 3, chunkMs: 10, failAtChunk: 2, failure: 'error' }, { jobKey: 'syn-retry', slot: '2026-11-01T05:00:00.000Z' });
    await expect((await h.start(input)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await slotRow('syn-retry', input.slot!);
    expect(row).toMatchObject({ status: 'failed', error_type: 'SyntheticError', attempt: 3 });
    // The two chunks before the failure committed once, not once per attempt.
    const [{ n }] = await h.sql<Array<{ n: number }>>('select count(*) as n from job_checkpoints where job_key = ?', ['syn-retry']);
    expect(n).toBe(2);
  }, 60_000);

  it('outliving start-to-close ends timed_out', async () => {
    const input = h.input(
      'synthetic',
      { chunks: 2, chunkMs: 10, failAtChunk: 1, failure: 'timeout' },
      { jobKey: 'syn-timeout', slot: '2026-11-01T06:00:00.000Z', timeouts: { startToCloseMs: 2_000, heartbeatMs: 1_000 }, retry: { maxAttempts: 1, initialIntervalMs: 100, maxIntervalMs: 100, backoffCoefficient: 1, nonRetryableErrorTypes: [] } },
    );
    await expect((await h.start(input)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await slotRow('syn-timeout', input.slot!)).toMatchObject({ status: 'timed_out', error_type: 'Timeout:START_TO_CLOSE' });
  }, 60_000);

  it('a hang (no heartbeats) ends timed_out by the heartbeat timeout', async () => {
    const input = h.input(
      'synthetic',
      { chunks: 2, chunkMs: 10, failAtChunk: 1, failure: 'hang' },
      { jobKey: 'syn-hang', slot: '2026-11-01T07:00:00.000Z', timeouts: { startToCloseMs: 4_000, heartbeatMs: 1_000 }, retry: { maxAttempts: 1, initialIntervalMs: 100, maxIntervalMs: 100, backoffCoefficient: 1, nonRetryableErrorTypes: [] } },
    );
    await expect((await h.start(input)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await slotRow('syn-hang', input.slot!)).toMatchObject({ status: 'timed_out', error_type: 'Timeout:HEARTBEAT' });
  }, 60_000);

  it('cancel mid-run stops at a chunk boundary, records cancelled and releases the lock', async () => {
    const input = h.input('synthetic', { chunks: 50, chunkMs: 200 }, { jobKey: 'syn-cancel', slot: '2026-11-01T08:00:00.000Z', timeouts: { startToCloseMs: 60_000, heartbeatMs: 2_000 } });
    const handle = await h.start(input);
    await eventually(async () => {
      const [{ n }] = await h.sql<Array<{ n: number }>>('select count(*) as n from job_checkpoints where job_key = ?', ['syn-cancel']);
      return n >= 3;
    });
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const row = await slotRow('syn-cancel', input.slot!);
    expect(row).toMatchObject({ status: 'cancelled', error_type: 'Cancelled' });
    const [{ n, maxChunk }] = await h.sql<Array<{ n: number; maxChunk: number }>>(
      'select count(*) as n, max(chunk) as maxChunk from job_checkpoints where job_key = ?',
      ['syn-cancel'],
    );
    // Stopped early, with every chunk up to the stop committed whole.
    expect(n).toBeLessThan(50);
    expect(maxChunk).toBe(n - 1);
    expect(await h.redis.exists('tk:lock:syn-cancel')).toBe(0);
  }, 60_000);
});
