import { randomUUID } from 'node:crypto';
import type { RunEvent } from '@timekeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from '../testing/harness';

// A superseded slot (issue 9 #2) is its own verdict, not a failure: the detectors stream its state
// but raise no alert, neither from the ledger nor from Temporal visibility.
let h: Harness;

beforeAll(async () => {
  h = await createHarness('superseded');
  await h.startWorker();
  h.startService();
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const alertsOf = async (jobKey: string) => h.sql<Array<{ kind: string }>>('select kind from alerts where job_key = ?', [jobKey]);

describe('superseded verdict', () => {
  it('is streamed as a run state and raises no alert', async () => {
    const key = 'superseded-vip';
    await h.createJob(key, { schedule: false });
    // vip-recalculation on an empty user table: one empty chunk, which still commits the state slot.
    const run = async (slot: string) => {
      const input = { ...h.runInput(key, { windowDays: 7, chunkSize: 100 }), kind: 'vip-recalculation', slot };
      const handle = await h.temporal.workflow.start('runJob', { taskQueue: h.taskQueue, workflowId: `tk-${key}-${slot}-${randomUUID().slice(0, 6)}`, args: [input] });
      return { handle, summary: (await handle.result()) as { status: string; supersededBy?: string } };
    };
    expect((await run('2026-11-17T03:00:00.000Z')).summary.status).toBe('succeeded');
    const monday = await run('2026-11-16T03:00:00.000Z');
    expect(monday.summary).toMatchObject({ status: 'superseded', supersededBy: '2026-11-17T03:00:00.000Z' });
    expect((await monday.handle.describe()).status.name).toBe('COMPLETED');

    const event = await eventually(async () =>
      (await h.stream()).find((e) => e.event === 'run' && (e.data as RunEvent).jobKey === key && (e.data as RunEvent).status === 'superseded'),
    );
    expect(event.data as RunEvent).toMatchObject({ slot: '2026-11-16T03:00:00.000Z', errorType: 'Superseded' });

    // A run that only visibility can report, closed after Monday's: once its alert is in, every
    // detector has looked past Monday's close.
    const marker = 'superseded-marker';
    await h.createJob(marker, { schedule: false });
    const { handle } = await h.startRun(marker, { chunks: 1, chunkMs: 60_000 });
    await eventually(async () => (await h.sql<unknown[]>("select 1 from job_slots where job_key = ? and status = 'running'", [marker])).length > 0);
    await handle.terminate('test: a marker only visibility reports');
    await eventually(async () => (await alertsOf(marker)).some((a) => a.kind === 'terminated'));
    expect(await alertsOf(key)).toEqual([]);
  }, 60_000);
});
