import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

// Data cleanup against slots in every state: it deletes checkpoints only of slots that can never run
// again, so a later Retry of a failed slot resumes after its committed chunks instead of applying
// (and announcing) them a second time.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('data_cleanup');
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 30_000);

const CLEANUP_SLOT = '2026-11-20T03:00:00.000Z'; // retention 30 days: cutoff 2026-10-21
const count = async (sql: string, params: unknown[] = []) => Number((await h.sql<Array<{ n: number }>>(sql, params))[0].n);
const checkpoints = (jobKey: string) => count('select count(*) as n from job_checkpoints where job_key = ?', [jobKey]);
const ledgerRows = (jobKey: string) => count('select count(*) as n from job_slots where job_key = ?', [jobKey]);

/** A ledger row and `chunks` checkpoints written at `at` (as if the slot ran then). */
async function slotRan(jobKey: string, slot: string, status: string, chunks: number, at: Date, finishedAt: Date | null = at): Promise<void> {
  await h.sql(
    "insert into job_slots (job_key, nominal_time, kind, status, attempt, finished_at, created_at, updated_at) values (?, ?, 'synthetic', ?, 1, ?, ?, ?)",
    [jobKey, new Date(slot), status, finishedAt, at, finishedAt ?? at],
  );
  for (let chunk = 0; chunk < chunks; chunk++) {
    await h.sql('insert into job_checkpoints (job_key, nominal_time, chunk, cursor_after, counts, fence, created_at) values (?, ?, ?, ?, ?, 1, ?)', [
      jobKey, new Date(slot), chunk, String(chunk + 1), '{"chunks":1}', at,
    ]);
  }
}

describe('data-cleanup and checkpoints', () => {
  it('keeps the checkpoints of every slot that may still run; a later retry applies each chunk once', async () => {
    const longAgo = new Date('2026-09-05T00:00:00.000Z');
    // A backfilled old slot that failed just now after committing chunks 0 and 1 (through the worker).
    const failed = h.input('synthetic', { chunks: 4, chunkMs: 5, failAtChunk: 2, failure: 'non-retryable' }, { jobKey: 'retryable', slot: '2026-09-01T00:00:00.000Z' });
    await expect((await h.start(failed)).result()).rejects.toThrow();
    expect(await checkpoints('retryable')).toBe(2);
    // A slot whose chunks committed long ago and whose last retry failed recently: still retryable.
    await slotRan('retried-late', '2026-09-02T00:00:00.000Z', 'failed', 3, longAgo, new Date());
    // A backfill of an old slot still running.
    await slotRan('running-old', '2026-09-03T00:00:00.000Z', 'running', 2, longAgo, null);
    // A slot that succeeded long ago (more checkpoints than a batch): can never run again.
    await slotRan('done-old', '2026-09-04T00:00:00.000Z', 'succeeded', 25, longAgo);
    // A slot that failed long ago, past the retention: its row goes, then its checkpoints.
    await slotRan('failed-old', '2026-09-04T00:00:00.000Z', 'failed', 3, longAgo);

    const cleanup = h.input('data-cleanup', { batchSize: 10, runRetentionDays: 30 }, { jobKey: 'cleanup', slot: CLEANUP_SLOT });
    const summary = await (await h.start(cleanup)).result();
    expect(summary.result!.counts).toMatchObject({ slots: 2, checkpoints: 28 });

    expect(await checkpoints('retryable')).toBe(2);
    expect(await ledgerRows('retryable')).toBe(1);
    expect(await checkpoints('retried-late')).toBe(3);
    expect(await ledgerRows('retried-late')).toBe(1);
    expect(await checkpoints('running-old')).toBe(2);
    expect(await checkpoints('done-old')).toBe(0);
    expect(await ledgerRows('done-old')).toBe(0);
    expect(await checkpoints('failed-old')).toBe(0);
    expect(await ledgerRows('failed-old')).toBe(0);

    // The retry (the failure fixed) resumes after chunk 1: chunks 0 and 1 land once, events too.
    const retry = h.input('synthetic', { chunks: 4, chunkMs: 5 }, { jobKey: 'retryable', slot: failed.slot });
    const result = await (await h.start(retry)).result();
    expect(result.result).toMatchObject({ resumedAfterChunk: 1, chunks: 4, counts: { chunks: 4 } });
    const events = await h.sql<Array<{ chunk: number; n: number }>>(
      "select json_value(payload, '$.chunk') as chunk, count(*) as n from outbox where `key` = 'retryable' group by chunk order by chunk",
    );
    expect(events.map((e) => [Number(e.chunk), Number(e.n)])).toEqual([[0, 1], [1, 1], [2, 1], [3, 1]]);
  }, 60_000);
});
