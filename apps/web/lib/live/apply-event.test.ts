import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import type { RunEvent, RunProgressEvent, SlotProgress } from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { keys } from '../api/keys';
import type { Page, Run } from '../api/types';
import { buildRows } from '../timeline/build';
import { applyProgressEvents, applyRunEvent, mergeRunEvent, runFromEvent } from './apply-event';

const SLOT = '2026-12-01T10:00:00.000Z';

const listed = (over: Partial<Run> = {}): Run => ({
  jobKey: 'job-a',
  slot: SLOT,
  status: 'running',
  workflowId: 'tk-job-a-2026-12-01T10:00:00Z',
  runId: 'run-1',
  attempt: 1,
  runs: 1,
  startTime: '2026-12-01T10:00:01.000Z',
  closeTime: null,
  progress: { chunk: 0, cursor: '1', counts: { chunks: 1 }, unit: 'chunks', total: 4, done: 1, startedAt: '2026-12-01T10:00:01.000Z', startDone: 0, at: '2026-12-01T10:00:03.000Z' },
  result: null,
  errorType: null,
  errorMessage: null,
  fence: 7,
  source: 'ledger',
  ...over,
});

const stateEvent = (over: Partial<RunEvent> = {}): RunEvent => ({
  eventId: '6f1d7d0e-7f8b-4f0e-9d43-0a4b2f1c9e11',
  type: 'run.state',
  at: '2026-12-01T10:00:09.000Z',
  jobKey: 'job-a',
  // The same instant written without milliseconds: still the same slot.
  slot: '2026-12-01T10:00:00Z',
  status: 'succeeded',
  workflowId: 'tk-job-a-2026-12-01T10:00:00Z',
  runId: 'run-1',
  attempt: 1,
  startedAt: '2026-12-01T10:00:01.000Z',
  finishedAt: '2026-12-01T10:00:09.000Z',
  errorType: null,
  errorMessage: null,
  ...over,
});

const progressEvent = (progress: Partial<SlotProgress>, over: Partial<RunProgressEvent> = {}): RunProgressEvent => ({
  eventId: '0a4b2f1c-7f8b-4f0e-9d43-6f1d7d0e9e11',
  type: 'run.progress',
  at: '2026-12-01T10:00:05.000Z',
  jobKey: 'job-a',
  slot: SLOT,
  workflowId: 'tk-job-a-2026-12-01T10:00:00Z',
  runId: 'run-1',
  attempt: 1,
  progress: { ...listed().progress!, ...progress },
  ...over,
});

describe('runFromEvent', () => {
  it("maps the ledger's startedAt/finishedAt onto the run's start and close times, keeping what the event lacks", () => {
    const run = runFromEvent(stateEvent(), listed());
    expect(run).toMatchObject({ status: 'succeeded', startTime: '2026-12-01T10:00:01.000Z', closeTime: '2026-12-01T10:00:09.000Z', slot: SLOT, fence: 7 });
    expect(run.progress?.done).toBe(1);
    // The old console spread the event over the run: closeTime never changed, startedAt was an unknown field.
    expect(run).not.toHaveProperty('finishedAt');
    expect(run).not.toHaveProperty('startedAt');
  });

  it('a new attempt clears the close time and error of the last one', () => {
    const failed = listed({ status: 'failed', closeTime: '2026-12-01T10:00:05.000Z', errorType: 'SyntheticError', errorMessage: 'boom' });
    const run = runFromEvent(stateEvent({ status: 'running', attempt: 2, finishedAt: null, runId: 'run-2', workflowId: 'tk-job-a-retry' }), failed);
    expect(run).toMatchObject({ status: 'running', attempt: 2, closeTime: null, errorType: null, runId: 'run-2', workflowId: 'tk-job-a-retry' });
  });

  it('ignores a late running event of the attempt that already closed, and adds a slot not seen yet', () => {
    const done = [listed({ status: 'succeeded', closeTime: '2026-12-01T10:00:09.000Z' })];
    expect(mergeRunEvent(done, stateEvent({ status: 'running', finishedAt: null }), true)).toBe(done);
    const other = mergeRunEvent(done, stateEvent({ slot: '2026-12-01T10:01:00.000Z', status: 'running', finishedAt: null, runId: 'run-9' }), true);
    expect(other.map((r) => [r.slot, r.status])).toEqual([
      ['2026-12-01T10:01:00.000Z', 'running'],
      [SLOT, 'succeeded'],
    ]);
  });
});

describe('live events in the caches', () => {
  const windowKey = [...keys.runs, 'window', '2026-12-01T00:00:00.000Z', ''];
  const listKey = [...keys.runs, 'list', { job: 'job-a', limit: 25 }];
  const recentKey = [...keys.runs, 'recent', 'job-a', 20];
  const seeded = () => {
    const qc = new QueryClient();
    qc.setQueryData(windowKey, { items: [listed()], truncated: false });
    qc.setQueryData<InfiniteData<Page<Run>>>(listKey, { pages: [{ items: [listed()], nextCursor: null }], pageParams: [undefined] });
    qc.setQueryData(recentKey, [listed()]);
    return qc;
  };
  const windowRun = (qc: QueryClient) => qc.getQueryData<{ items: Run[] }>(windowKey)!.items[0];
  const listRun = (qc: QueryClient) => qc.getQueryData<InfiniteData<Page<Run>>>(listKey)!.pages[0].items[0];

  it('progress reaches the timeline and the slot history, and the timeline bar shows it', () => {
    const qc = seeded();
    applyProgressEvents(qc, [progressEvent({ chunk: 1, done: 2, at: '2026-12-01T10:00:05.000Z' })]);
    expect(windowRun(qc).progress?.done).toBe(2);
    expect(listRun(qc).progress?.done).toBe(2);
    const [row] = buildRows([{ key: 'job-a', name: 'A', kind: 'synthetic', tags: [], paused: false } as never], [windowRun(qc)]);
    expect(row.progress[0]).toBeCloseTo(0.5);
    // 2 chunks in 4 s → 2 more by 10:00:09.
    expect(row.etas[0]).toBe(Date.parse('2026-12-01T10:00:09.000Z'));
  });

  it('an older progress report does not undo a newer one, and a batch applies in order', () => {
    const qc = seeded();
    applyProgressEvents(qc, [progressEvent({ chunk: 2, done: 3, at: '2026-12-01T10:00:07.000Z' }), progressEvent({ chunk: 1, done: 2, at: '2026-12-01T10:00:05.000Z' })]);
    expect(windowRun(qc).progress?.done).toBe(3);
  });

  it('the close time and verdict update live in every view of the slot', () => {
    const qc = seeded();
    applyRunEvent(qc, stateEvent());
    for (const run of [windowRun(qc), listRun(qc), qc.getQueryData<Run[]>(recentKey)![0]]) {
      expect(run).toMatchObject({ status: 'succeeded', closeTime: '2026-12-01T10:00:09.000Z' });
    }
    const [row] = buildRows([{ key: 'job-a', name: 'A', kind: 'synthetic', tags: [], paused: false } as never], [windowRun(qc)]);
    expect(row.ends[0]).toBe(Date.parse('2026-12-01T10:00:09.000Z'));
    expect(Number.isNaN(row.progress[0])).toBe(true);
  });
});
