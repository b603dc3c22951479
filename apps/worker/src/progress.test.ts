import type { SlotProgress } from '@timekeeper/contracts';
import { seedDataset } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sleep, type Harness } from './test-support/harness';

// The progress a slot reports, through the real worker: an estimate of the whole work made when the
// attempt starts, and work done growing with each committed chunk, in the estimate's unit.
let h: Harness;
const NOW = new Date('2026-11-20T00:00:00.000Z');
const SLOT = '2026-11-20T03:00:00.000Z';

beforeAll(async () => {
  h = await createHarness('progress');
  await seedDataset(h.orm, { users: 600, orders: 4_000, products: 80, sessions: 300, now: NOW, seed: 11 });
  await h.startWorker();
}, 120_000);
afterAll(async () => h?.close(), 30_000);

async function slotProgress(jobKey: string): Promise<{ status: string; progress: SlotProgress | null } | null> {
  const [row] = await h.sql<Array<{ status: string; progress: string | SlotProgress | null }>>('select status, progress from job_slots where job_key = ?', [jobKey]);
  if (!row) return null;
  return { status: row.status, progress: typeof row.progress === 'string' ? (JSON.parse(row.progress) as SlotProgress) : row.progress };
}

describe('slot progress', () => {
  it('a running synthetic slot reports its estimate and done increasing, with the attempt start for a rate', async () => {
    const handle = await h.start(h.input('synthetic', { chunks: 6, chunkMs: 400 }, { jobKey: 'progress-syn', slot: SLOT }));
    let closed = false;
    const result = handle.result().finally(() => {
      closed = true;
    });
    // Everything the ledger said while the slot ran (polled; each chunk takes 400 ms).
    const seen: SlotProgress[] = [];
    while (!closed) {
      const row = await slotProgress('progress-syn');
      if (row?.status === 'running' && row.progress && row.progress.at !== seen[seen.length - 1]?.at) seen.push(row.progress);
      await sleep(40);
    }
    expect((await result).status).toBe('succeeded');
    const final = (await slotProgress('progress-syn'))!.progress!;

    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) expect(p).toMatchObject({ unit: 'chunks', total: 6, startDone: 0, attempt: 1 });
    const done = seen.map((p) => p.done!);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // Work done visibly grows while the slot runs, not only at its end.
    expect(new Set(done.filter((d) => d > 0 && d < 6)).size).toBeGreaterThanOrEqual(2);
    for (const p of seen) expect(Date.parse(p.at!)).toBeGreaterThanOrEqual(Date.parse(p.startedAt!));
    expect(final).toMatchObject({ unit: 'chunks', total: 6, done: 6, chunk: 5, cursor: null, counts: { chunks: 6 } });
  }, 60_000);

  it('each kind estimates its whole work once: the estimate is what the finished slot did', async () => {
    const run = async (kind: Parameters<Harness['input']>[0], params: Record<string, unknown>) => {
      const jobKey = `progress-${kind}`;
      const summary = await (await h.start(h.input(kind, params, { jobKey, slot: SLOT }))).result();
      expect(summary.status).toBe('succeeded');
      return { progress: (await slotProgress(jobKey))!.progress!, counts: summary.result!.counts };
    };
    const vip = await run('vip-recalculation', { windowDays: 90, chunkSize: 200 });
    expect(vip.progress).toMatchObject({ unit: 'users', total: 600, done: 600 });

    const cache = await run('cache-warming', { topProducts: 10, vipProfiles: 40, ttlSeconds: 60 });
    const entries = cache.counts.products + cache.counts.profiles;
    expect(entries).toBeGreaterThan(10);
    expect(cache.progress).toMatchObject({ unit: 'entries', total: entries, done: entries });

    const cleanup = await run('data-cleanup', { batchSize: 100, runRetentionDays: 30 });
    expect(cleanup.progress).toMatchObject({ unit: 'phases', total: 6, done: 6 });

    const report = await run('report-generation', { period: 'day', reportKind: 'sales-summary' });
    expect(report.progress).toMatchObject({ unit: 'phases', total: 1, done: 1 });
  }, 90_000);
});
