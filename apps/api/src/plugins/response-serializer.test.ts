import { Type } from '@sinclair/typebox';
import { JobDefinitionDto, RunPageSchema, type RunView } from '@timekeeper/contracts';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { forSerialization } from './response-serializer';

type FjsSchema = Parameters<typeof fastJson>[0];
const both = (schema: unknown) => [fastJson(schema as FjsSchema), fastJson(forSerialization(schema) as FjsSchema)];
const anyOfCount = (s: unknown): number => (JSON.stringify(s).match(/"anyOf"/g) ?? []).length;

const run = (over: Partial<RunView>): RunView => ({
  jobKey: 'nightly',
  slot: '2026-03-08T07:00:00.000Z',
  status: 'succeeded',
  workflowId: 'tk-nightly-2026-03-08T07:00:00Z',
  runId: 'r1',
  attempt: 1,
  runs: 1,
  startTime: '2026-03-08T07:00:01.000Z',
  closeTime: '2026-03-08T07:00:09.000Z',
  progress: { chunk: 3, cursor: '9', counts: { users: 30 } },
  result: { chunks: 3, counts: { users: 30 }, nested: [1, 'two', null] },
  errorType: null,
  errorMessage: null,
  fence: 12,
  source: 'ledger',
  ...over,
});

describe('forSerialization', () => {
  it('writes a run page exactly as the schema as declared, with no anyOf left per row', () => {
    const [declared, fast] = both(RunPageSchema);
    const pages = [
      { items: [run({}), run({ status: 'planned', workflowId: null, runId: null, startTime: null, closeTime: null, progress: null, result: null, fence: null, attempt: 0, runs: 0 })], nextCursor: 'abc' },
      { items: [run({ status: 'missed', reason: 'paused', errorType: 'paused', errorMessage: 'paused in Temporal', source: 'temporal' })], nextCursor: null },
      { items: [], nextCursor: null },
    ];
    for (const page of pages) expect(fast(page)).toBe(declared(page));
    expect(anyOfCount(RunPageSchema)).toBeGreaterThan(5);
    expect(anyOfCount(forSerialization(RunPageSchema))).toBe(0);
  });

  it('writes a job definition exactly as declared, and still drops fields the schema does not name', () => {
    const [declared, fast] = both(Type.Object({ items: Type.Array(JobDefinitionDto) }));
    const job = {
      key: 'k',
      name: 'n',
      description: '',
      kind: 'report-generation',
      params: { format: 'csv' },
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin', jitter: '0s', overlapPolicy: 'skip', catchupWindow: '1m', repeatedWallTime: 'first', missingWallTime: 'shift' },
      retry: { maxAttempts: 3, initialInterval: '1s', maxInterval: '1m', backoffCoefficient: 2, nonRetryableErrorTypes: [] },
      timeouts: { run: '1h', startToClose: '10m', heartbeat: '30s' },
      lock: { required: true, ttl: '30s' },
      expectedMaxDuration: null,
      gracePeriod: '2m',
      tags: ['a'],
      owner: null,
      paused: false,
      pauseNote: null,
      version: 3,
      managedBy: 'console',
      syncStatus: 'synced',
      syncError: null,
      scheduleId: 'tk-k',
      createdBy: 'admin',
      updatedBy: 'admin',
      createdAt: '2026-03-08T07:00:00.000Z',
      updatedAt: '2026-03-08T07:00:00.000Z',
      secretColumn: 'never written',
    };
    for (const value of [{ items: [job] }, { items: [{ ...job, expectedMaxDuration: '5m', pauseNote: 'db upgrade', owner: 'ops', syncError: 'boom' }] }]) {
      const text = fast(value);
      expect(text).toBe(declared(value));
      expect(text).not.toContain('secretColumn');
    }
  });

  it('keeps a union it cannot simplify', () => {
    const union = Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.Integer() })]);
    expect(anyOfCount(forSerialization(union))).toBe(1);
    const [declared, fast] = both(Type.Object({ u: union }));
    expect(fast({ u: { b: 2 } })).toBe(declared({ u: { b: 2 } }));
  });
});
