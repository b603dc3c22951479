import { RUN_WORKFLOW_TYPE } from '@timekeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { UnrecordedRuns } from './unrecorded-runs';

// The waiting-runs answer every listing shares: once it is past its TTL, listings keep getting the
// last answer while one refresh (a visibility query on the real Temporal) runs, instead of waiting for it.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('unrecorded_runs');
}, 60_000);
afterAll(async () => h?.close());

/** Which settles first: `p`, or the next turn of the event loop (no network answer can arrive before it). */
const beforeAnyIo = <T>(p: Promise<T>) => Promise.race([p.then((v) => ({ value: v })), new Promise<null>((r) => setImmediate(() => r(null)))]);

describe('UnrecordedRuns', () => {
  it('answers from the last refresh while the next one runs, then from the new one', async () => {
    const queue = `unrecorded-${Date.now()}`;
    // TTL 1 ms, served stale for up to a minute: the test's own steps never outlast it.
    const runs = new UnrecordedRuns(h.orm, h.temporal, queue, 1, 60_000);
    expect(await runs.all()).toEqual([]); // the first answer is waited for
    const slot = new Date(Date.now() - 60_000);
    const waiting = await h.temporal.workflow.start(RUN_WORKFLOW_TYPE, {
      workflowId: `tk-unrecorded-${Date.now()}`,
      taskQueue: queue,
      args: [{ jobKey: 'unrecorded-job', slot: slot.toISOString() }],
      searchAttributes: { TimekeeperJobKey: ['unrecorded-job'], TimekeeperSlot: [slot] },
    });
    try {
      const t0 = Date.now();
      while (Date.now() - t0 < 2) await new Promise((r) => setTimeout(r, 1)); // past the 1 ms TTL
      // Stale: the last answer at once (before any visibility answer could arrive), a refresh started.
      expect(await beforeAnyIo(runs.all())).toEqual({ value: [] });
      // Later answers show the waiting run once visibility has it.
      let seen: Array<string | null> = [];
      for (let i = 0; i < 80 && !seen.includes(waiting.workflowId); i++) {
        seen = (await runs.all()).map((r) => r.workflowId);
        if (!seen.includes(waiting.workflowId)) await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toContain(waiting.workflowId);
    } finally {
      await waiting.terminate('test cleanup');
    }
  }, 30_000);
});
