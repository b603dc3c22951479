import { runChunkedJob, lockKey, type ChunkedJob, type JobActivityInput } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

// A step stuck where cancellation cannot reach it (a hung call, say), in a real activity on a real
// worker: after Temporal times the attempt out, the lease is no longer extended and expires, so the
// job's next run is not locked out for as long as the process lives.
const STUCK_MS = 30_000;
let h: Harness;
let release: () => void = () => undefined;
const stuck: ChunkedJob = {
  kind: 'synthetic',
  step: async ({ chunk }) => {
    if (chunk === 1) await new Promise<void>((r) => ((release = r), setTimeout(r, STUCK_MS)));
    return { cursor: chunk === 0 ? '1' : null, counts: { chunks: 1 } };
  },
};

beforeAll(async () => {
  h = await createHarness('stuck_attempt');
  await h.startWorker({ activities: { synthetic: (input: JobActivityInput) => runChunkedJob(h.deps, input, stuck) } });
}, 60_000);
afterAll(async () => {
  release();
  await h?.close();
}, 30_000);

describe('a stuck attempt', () => {
  it('lets its lease expire within heartbeat timeout + TTL, while the step is still stuck', async () => {
    const input = h.input('synthetic', {}, {
      jobKey: 'stuck',
      slot: '2026-11-20T01:00:00.000Z',
      timeouts: { startToCloseMs: 60_000, heartbeatMs: 1_000 },
      lock: { required: true, ttlMs: 2_000 },
      retry: { maxAttempts: 1, initialIntervalMs: 100, maxIntervalMs: 100, backoffCoefficient: 1, nonRetryableErrorTypes: [] },
    });
    const started = Date.now();
    await expect((await h.start(input)).result()).rejects.toThrow();
    const [row] = await h.sql<Array<{ status: string; error_type: string }>>('select status, error_type from job_slots where job_key = ?', ['stuck']);
    expect(row).toMatchObject({ status: 'timed_out', error_type: 'Timeout:HEARTBEAT' });
    // Before, redlock kept extending the lease for as long as the step stayed stuck (30 s here).
    await eventually(async () => (await h.redis.exists(lockKey('stuck'))) === 0, 10_000, 100);
    expect(Date.now() - started).toBeLessThan(STUCK_MS / 2);
  }, 60_000);
});
