import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowsPath } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const activityTypes = (history: History) => (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
const markers = (history: History) => (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []);
// Upserts of the slot attribute (the patch itself upserts TemporalChangeVersion once).
const slotUpserts = (history: History) =>
  (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TimekeeperSlot).length;

// The runJob workflow's history is lean (run-job.ts, `lean-run-history`): what the server does per run
// bounds how fast a thousand slots of one minute start. Against the real Temporal server and MariaDB.
describe('lean run history', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('lean_history');
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
    // Started without its slot in visibility, the run upserts it.
    expect(slotUpserts(history)).toBe(1);
    // And the history the new code wrote replays against it.
    await Worker.runReplayHistory({ workflowsPath }, history, handle.workflowId);
  });

  it('a run whose start already carries its slot (as the API starts one) does not upsert it again', async () => {
    const slot = new Date(Date.UTC(2026, 10, 30, 12, 0));
    const input = h.input('synthetic', { chunks: 1, chunkMs: 1 }, { slot: slot.toISOString(), lock: { required: false, ttlMs: 5_000 } });
    const handle = await h.client.workflow.start('runJob', {
      taskQueue: h.taskQueue,
      workflowId: `tk-${input.jobKey}-${randomUUID()}`,
      args: [input],
      searchAttributes: { TimekeeperJobKey: [input.jobKey], TimekeeperSlot: [slot] },
    });
    await handle.result();
    expect(slotUpserts(await handle.fetchHistory())).toBe(0);
    expect((await handle.describe()).searchAttributes.TimekeeperSlot).toEqual([slot]);
  });

  it('a run recorded before the change (ledger writes as ordinary activities) still replays', async () => {
    // Recorded by commit 5b4bfcf's worker: recordSlotStarted, synthetic, recordSlotVerdict as activities.
    const history = JSON.parse(readFileSync(join(__dirname, 'test-support/histories/run-job-ordinary-ledger-activities.json'), 'utf8')) as History;
    expect(activityTypes(history)).toEqual(['recordSlotStarted', 'synthetic', 'recordSlotVerdict']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'recorded-before-lean-history')).resolves.toBeUndefined();
  });
});
