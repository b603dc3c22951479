import { JobDefinition } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToEntity, mergeDefinition } from '../services/job-mapper';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// GET /v1/jobs/:key/stats: days up to the newest rolled-up day come from job_slot_days, later days
// from the raw ledger with the same rule; bad ranges are a 400 naming the field.
let h: Harness;
const sql = (q: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute(q, params, 'run');

beforeAll(async () => {
  h = await startHarness('job_stats');
  const em = h.orm.em.fork();
  const job = new JobDefinition();
  applyToEntity(job, mergeDefinition(undefined, jobBody('stats-a') as never));
  em.persist(Object.assign(job, { syncStatus: 'synced' }));
  await em.flush();
  const now = new Date();
  // Rolled-up days: 2026-10-20 (final) and 2026-11-18 (provisional, the newest mark).
  await sql('insert into job_slot_rollup_days (day, final, rolled_at) values (?, 1, ?), (?, 0, ?)', ['2026-10-20', now, '2026-11-18', now]);
  await sql(
    'insert into job_slot_days (job_key, day, kind, total, counts, timed_runs, p50_ms, p95_ms, rolled_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      ...['stats-a', '2026-10-20', 'synthetic', 1440, JSON.stringify({ succeeded: 1430, failed: 10 }), 1440, 800, 1500, now],
      ...['stats-a', '2026-11-18', 'synthetic', 24, JSON.stringify({ succeeded: 24 }), 24, 900, 1200, now],
    ],
  );
  const slot = (t: string, status: string, ms: number | null) =>
    sql(
      "insert into job_slots (job_key, nominal_time, kind, status, attempt, started_at, finished_at, created_at, updated_at) values ('stats-a', ?, 'synthetic', ?, 1, ?, ?, ?, ?)",
      [new Date(t), status, ms === null ? null : new Date(t), ms === null ? null : new Date(Date.parse(t) + ms), now, now],
    );
  // A raw row of a rolled-up day: the roll-up answers for that day, not the raw rows.
  await slot('2026-10-20T05:00:00.000Z', 'failed', 10);
  // Days after the newest mark are computed from the ledger.
  await slot('2026-11-19T01:00:00.000Z', 'succeeded', 1000);
  await slot('2026-11-19T02:00:00.000Z', 'succeeded', 2000);
  await slot('2026-11-19T03:00:00.000Z', 'succeeded', 3000);
  await slot('2026-11-19T04:00:00.000Z', 'missed', null);
  // Planned and running slots are counted as open, never as verdicts or durations.
  await slot('2026-11-19T05:00:00.000Z', 'planned', null);
  await slot('2026-11-19T06:00:00.000Z', 'running', 60_000);
  await slot('2026-11-21T00:00:00.000Z', 'succeeded', 5); // outside [from, to)
});

afterAll(async () => {
  await h?.close();
});

const get = (url: string) => h.call({ method: 'GET', url, key: h.keys.viewer });

describe('GET /v1/jobs/:key/stats', () => {
  it('reads roll-ups for rolled-up days and the ledger after them', async () => {
    const res = await get('/v1/jobs/stats-a/stats?from=2026-10-01&to=2026-11-21');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      jobKey: 'stats-a',
      from: '2026-10-01',
      to: '2026-11-21',
      days: [
        { day: '2026-10-20', total: 1440, counts: { succeeded: 1430, failed: 10 }, open: 0, timedRuns: 1440, p50Ms: 800, p95Ms: 1500, source: 'rollup' },
        { day: '2026-11-18', total: 24, counts: { succeeded: 24 }, open: 0, timedRuns: 24, p50Ms: 900, p95Ms: 1200, source: 'rollup' },
        // percentile_cont over 1, 2, 3 s: p50 2 s, p95 2.9 s.
        { day: '2026-11-19', total: 4, counts: { succeeded: 3, missed: 1 }, open: 2, timedRuns: 3, p50Ms: 2000, p95Ms: 2900, source: 'ledger' },
      ],
      totals: { total: 1468, counts: { succeeded: 1457, failed: 10, missed: 1 } },
    });
  });

  it('a range inside the rolled-up days reads only roll-ups; one after them only the ledger', async () => {
    expect((await get('/v1/jobs/stats-a/stats?from=2026-10-20&to=2026-10-21')).json().days.map((d: { source: string }) => d.source)).toEqual(['rollup']);
    expect((await get('/v1/jobs/stats-a/stats?from=2026-11-19&to=2026-11-22')).json().days.map((d: { day: string; source: string }) => [d.day, d.source])).toEqual([
      ['2026-11-19', 'ledger'],
      ['2026-11-21', 'ledger'],
    ]);
  });

  it('refuses bad ranges with a 400 naming the field, and an unknown job with a 404', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-02-30&to=2026-03-02', 'from'],
      ['from=2026-03-02&to=2026-03-02', 'to'],
      ['from=2010-01-01&to=2026-03-02', 'to'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/v1/jobs/stats-a/stats?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await get('/v1/jobs/stats-a/stats?from=yesterday&to=2026-03-02')).statusCode).toBe(400);
    expect((await get('/v1/jobs/stats-a/stats?from=2026-01-01')).statusCode).toBe(400);
    expect((await get('/v1/jobs/no-such-job/stats?from=2026-01-01&to=2026-01-02')).statusCode).toBe(404);
  });
});
