import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { RunLiveEvent, type RunEvent, type RunProgressEvent, type SlotProgress } from '@timekeeper/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from '../testing/harness';
import type { DetectorContext } from './context';
import { progressDetector } from './progress';

// run.progress events: sampled from the ledger's progress of running slots, at most one per slot per
// pass, carried by the outbox to Kafka and the live stream like every run event.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('progress');
  FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
  FormatRegistry.Set('uuid', (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v));
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const progressRows = async (jobKey: string) =>
  (await h.sql<Array<{ payload: string | RunProgressEvent }>>("select payload from outbox where topic = ? and `key` = ? and json_value(payload, '$.type') = 'run.progress' order by id", [h.topics.runs, jobKey]))
    .map((r) => (typeof r.payload === 'string' ? (JSON.parse(r.payload) as RunProgressEvent) : r.payload));

describe('progress events', () => {
  it('a pass sends a slot only when its progress moved, once however often it moved, and a finished one its last', async () => {
    const jobKey = 'progress-pass';
    const slot = new Date('2026-01-01T10:00:00.000Z');
    const progress = (done: number): SlotProgress => ({ chunk: done - 1, cursor: String(done), counts: { chunks: done }, unit: 'chunks', total: 10, done, startedAt: '2026-01-01T10:00:00.500Z', startDone: 0, at: new Date(Date.UTC(2026, 0, 1, 10, 0, done)).toISOString() });
    const setProgress = (done: number, status = 'running') =>
      h.sql('update job_slots set progress = ?, status = ?, finished_at = ? where job_key = ? and nominal_time = ?', [
        JSON.stringify(progress(done)), status, status === 'running' ? null : new Date(), jobKey, slot,
      ]);
    // Stamped now, as a worker would: a row stamped ahead would move the ledger detector's cursor past the next test.
    const now = new Date();
    await h.sql(
      "insert into job_slots (job_key, nominal_time, kind, status, workflow_id, run_id, attempt, started_at, created_at, updated_at) values (?, ?, 'synthetic', 'running', 'tk-w', 'r-1', 1, ?, ?, ?)",
      [jobKey, slot, slot, now, now],
    );
    const pass = progressDetector({ orm: h.orm, runsTopic: h.topics.runs } as DetectorContext, 1_000).pass;

    await setProgress(1);
    await pass();
    await pass();
    expect((await progressRows(jobKey)).map((e) => e.progress.done)).toEqual([1]);
    // Five commits between two passes: one event, with the latest.
    for (const d of [2, 3, 4, 5, 6]) await setProgress(d);
    await pass();
    const events = await progressRows(jobKey);
    expect(events.map((e) => e.progress.done)).toEqual([1, 6]);
    expect(events[1]).toMatchObject({ type: 'run.progress', jobKey, slot: slot.toISOString(), workflowId: 'tk-w', runId: 'r-1', attempt: 1, progress: progress(6) });
    expect([...Value.Errors(RunLiveEvent, events[1])]).toEqual([]);
    // The last chunk committed after that pass, then the verdict: its progress still goes out, once.
    await setProgress(7, 'succeeded');
    await pass();
    await pass();
    expect((await progressRows(jobKey)).map((e) => e.progress.done)).toEqual([1, 6, 7]);
  });

  it('a running job reaches the live stream as growing progress, at most one event a second, then its verdict', async () => {
    await h.startWorker();
    h.startService();
    const jobKey = 'progress-live';
    await h.createJob(jobKey, { schedule: false });
    const { handle } = await h.startRun(jobKey, { chunks: 10, chunkMs: 500 });
    await handle.result();
    const entries = await eventually(async () => {
      const all = (await h.stream()).filter((e) => e.event === 'run' && (e.data as { jobKey?: string }).jobKey === jobKey);
      // The verdict, and the last chunk's progress (it may come a pass after the verdict).
      const last = all.some((e) => (e.data as unknown as RunProgressEvent).progress?.done === 10);
      return last && all.some((e) => (e.data as RunEvent).status === 'succeeded') ? all : null;
    }, 20_000);
    const events = entries.map((e) => e.data as unknown as RunProgressEvent | RunEvent);
    for (const e of events) expect([...Value.Errors(RunLiveEvent, e)]).toEqual([]);
    const progress = events.filter((e): e is RunProgressEvent => e.type === 'run.progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const done = progress.map((e) => e.progress.done!);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done[done.length - 1]).toBeGreaterThan(done[0]);
    for (const e of progress) expect(e.progress).toMatchObject({ unit: 'chunks', total: 10 });
    // The bound: passes are re-armed a full interval after the last one ended, so ten chunk commits
    // become one event a second at most.
    for (let i = 1; i < progress.length; i++) expect(Date.parse(progress[i].at) - Date.parse(progress[i - 1].at)).toBeGreaterThanOrEqual(1_000);
  }, 60_000);
});
