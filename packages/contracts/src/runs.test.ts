import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { RunLiveEvent } from './run-events';
import { RunViewSchema, SLOT_STATUSES, SlotProgressSchema } from './runs';

FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
FormatRegistry.Set('uuid', (v) => /^[0-9a-f-]{36}$/i.test(v));

const run = {
  jobKey: 'job-a', slot: '2026-12-01T10:00:00.000Z', status: 'running', workflowId: 'tk-job-a', runId: 'r1', attempt: 1,
  startTime: '2026-12-01T10:00:01.000Z', closeTime: null, progress: null, result: null, errorType: null, errorMessage: null, fence: 3, source: 'ledger',
};

describe('run and slot contracts', () => {
  it('hold every ledger verdict, a planned slot without a run, and a reason', () => {
    expect(SLOT_STATUSES).toEqual(expect.arrayContaining(['planned', 'superseded', 'skipped', 'missed']));
    for (const status of [...SLOT_STATUSES, 'terminated']) expect(Value.Check(RunViewSchema, { ...run, status })).toBe(true);
    expect(Value.Check(RunViewSchema, { ...run, status: 'planned', workflowId: null, runId: null, startTime: null })).toBe(true);
    expect(Value.Check(RunViewSchema, { ...run, status: 'missed', reason: 'catchup_window_exceeded' })).toBe(true);
    expect(Value.Check(RunViewSchema, { ...run, status: 'completed' })).toBe(false);
  });

  it('slot progress is what the runner writes: chunk, cursor and counts, with the estimate when a kind gives one', () => {
    const before = { chunk: 2, cursor: '3', counts: { users: 900 }, fence: 5, attempt: 1 };
    expect(Value.Check(SlotProgressSchema, before)).toBe(true);
    const estimated = { ...before, unit: 'users', total: 5_000, done: 900, startedAt: '2026-12-01T10:00:01.000Z', startDone: 0, at: '2026-12-01T10:00:04.000Z' };
    expect(Value.Check(SlotProgressSchema, estimated)).toBe(true);
    expect(Value.Check(SlotProgressSchema, { ...estimated, total: null })).toBe(true);
    // The console once read progress as a number.
    expect(Value.Check(SlotProgressSchema, 0.5)).toBe(false);
    expect(Value.Check(RunViewSchema, { ...run, progress: estimated })).toBe(true);
  });

  it('a live run event is a state change or a progress report, told apart by type', () => {
    const base = { eventId: '6f1d7d0e-7f8b-4f0e-9d43-0a4b2f1c9e11', at: '2026-12-01T10:00:05.000Z', jobKey: 'job-a', slot: run.slot, workflowId: 'tk-job-a', runId: 'r1', attempt: 1 };
    const state = { ...base, type: 'run.state', status: 'succeeded', startedAt: run.startTime, finishedAt: '2026-12-01T10:00:09.000Z', errorType: null, errorMessage: null };
    const progress = { ...base, type: 'run.progress', progress: { chunk: 0, cursor: '1', counts: { chunks: 1 }, unit: 'chunks', total: 4, done: 1 } };
    expect(Value.Check(RunLiveEvent, state)).toBe(true);
    expect(Value.Check(RunLiveEvent, progress)).toBe(true);
    expect(Value.Check(RunLiveEvent, { ...progress, type: 'run.state' })).toBe(false);
  });
});
