import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowsPath } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const activityTypes = (history: History) => (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
const markers = (history: History) => (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []);

describe('ledger writes as local activities', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('ledger_local');
    await h.startWorker();
  });
  afterAll(async () => h?.close());

  it('a run records its ledger writes as markers: its only task-queue activity is the job itself', async () => {
    const handle = await h.start(h.input('synthetic', { chunks: 2, chunkMs: 1 }, { lock: { required: false, ttlMs: 5_000 } }));
    expect((await handle.result()).status).toBe('succeeded');
    const history = await handle.fetchHistory();
    expect(activityTypes(history)).toEqual(['synthetic']);
    expect(markers(history).filter((m) => m === 'core_local_activity')).toHaveLength(2);
    const [slot] = await h.sql<Array<{ status: string; run_id: string }>>('select status, run_id from job_slots where workflow_id = ?', [handle.workflowId]);
    expect(slot).toMatchObject({ status: 'succeeded', run_id: (await handle.describe()).runId });
    // And the history the new code wrote replays against it.
    await Worker.runReplayHistory({ workflowsPath }, history, handle.workflowId);
  });

  it('a run recorded before the change (ledger writes as ordinary activities) still replays', async () => {
    // Recorded by commit 5b4bfcf's worker: recordSlotStarted, synthetic, recordSlotVerdict as activities.
    const history = JSON.parse(readFileSync(join(__dirname, 'test-support/histories/run-job-ordinary-ledger-activities.json'), 'utf8')) as History;
    expect(activityTypes(history)).toEqual(['recordSlotStarted', 'synthetic', 'recordSlotVerdict']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'recorded-before-local-ledger')).resolves.toBeUndefined();
  });
});
