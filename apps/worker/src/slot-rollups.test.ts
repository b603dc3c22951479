import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './test-support/harness';

// Ledger retention with daily roll-ups, through the real worker and MariaDB: data-cleanup rolls each
// day up per job (counts per verdict, p50/p95 duration) before raw slots pass the retention, deletes
// raw slots only of days whose roll-up is final, and never recomputes a final day from what is left.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('slot_rollups');
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 30_000);

// Retention 30 days: cutoff 2026-10-21T03:00Z. Days before 2026-10-21 are rolled up finally; days up
// to 2026-11-18 (one day old at the slot) provisionally; 2026-11-19 and 2026-11-20 not at all.
const CLEANUP_SLOT = '2026-11-20T03:00:00.000Z';
const DAYS = ['2026-10-19', '2026-10-20', '2026-10-21', '2026-11-18', '2026-11-19', '2026-11-20'];
const LONG_AGO = new Date('2026-10-01T00:00:00.000Z');

/**
 * 24 hourly slots of `job` on `day`: hours 0-20 succeeded, run k lasting k seconds (so p50 = 10 s and
 * p95 = 19 s exactly), hours 21-22 failed without a start, hour 23 missed. Set-based: one INSERT ... SELECT.
 */
async function seedDay(job: string, day: string): Promise<void> {
  await h.sql(
    `insert into job_slots (job_key, nominal_time, kind, status, attempt, started_at, finished_at, created_at, updated_at)
     with recursive hours(k) as (select 0 union all select k + 1 from hours where k < 23)
     select ?, timestampadd(hour, k, ?), 'synthetic',
            case when k <= 20 then 'succeeded' when k <= 22 then 'failed' else 'missed' end, 1,
            case when k <= 20 then timestampadd(hour, k, ?) end,
            case when k <= 20 then timestampadd(second, k, timestampadd(hour, k, ?)) when k <= 22 then ? end,
            ?, ?
     from hours`,
    [job, `${day} 00:00:00`, `${day} 00:00:00`, `${day} 00:00:00`, LONG_AGO, LONG_AGO, LONG_AGO],
  );
}

type DayRow = { job_key: string; day: string; total: number; counts: string | object; open?: number; timed_runs: number; p50_ms: number; p95_ms: number };
const sortedJson = (v: string | object) => JSON.stringify(Object.fromEntries(Object.entries(typeof v === 'string' ? (JSON.parse(v) as object) : v).sort()));
const rollups = () =>
  h.sql<DayRow[]>("select job_key, date_format(day, '%Y-%m-%d') as day, total, counts, timed_runs, p50_ms, p95_ms from job_slot_days order by job_key, day");
const marks = async () =>
  Object.fromEntries(
    (await h.sql<Array<{ day: string; final: number }>>("select date_format(day, '%Y-%m-%d') as day, final from job_slot_rollup_days order by day")).map((m) => [m.day, Number(m.final)]),
  );
const rawPerDay = async (job: string) =>
  Object.fromEntries(
    (await h.sql<Array<{ day: string; n: number }>>("select date_format(nominal_time, '%Y-%m-%d') as day, count(*) as n from job_slots where job_key = ? group by day", [job])).map((r) => [
      r.day,
      Number(r.n),
    ]),
  );
const cleanup = async (slot: string) => {
  // One job per chunk and small delete batches, so every cursor step is exercised.
  const input = h.input('data-cleanup', { batchSize: 10, runRetentionDays: 30, rollupAfterDays: 1, rollupJobsPerChunk: 1 }, { jobKey: 'cleanup', slot });
  return (await h.start(input)).result();
};

describe('data-cleanup roll-ups and raw slot retention', () => {
  it('rolls days up per job before deleting their raw slots, and keeps final roll-ups when raw rows are gone', async () => {
    for (const day of DAYS) await seedDay('rollup-a', day);
    await seedDay('rollup-b', '2026-10-20');

    const first = await cleanup(CLEANUP_SLOT);
    expect(first.result!.counts).toMatchObject({ rolledUp: 5, slots: 72 });

    const expected = { total: 24, counts: JSON.stringify({ failed: 2, missed: 1, succeeded: 21 }), timed_runs: 21, p50_ms: 10_000, p95_ms: 19_000 };
    const rows = (await rollups()).map((r) => ({ ...r, total: Number(r.total), timed_runs: Number(r.timed_runs), counts: sortedJson(r.counts) }));
    expect(rows).toEqual([
      { job_key: 'rollup-a', day: '2026-10-19', ...expected },
      { job_key: 'rollup-a', day: '2026-10-20', ...expected },
      { job_key: 'rollup-a', day: '2026-10-21', ...expected },
      { job_key: 'rollup-a', day: '2026-11-18', ...expected },
      { job_key: 'rollup-b', day: '2026-10-20', ...expected },
    ]);
    expect(await marks()).toEqual({ '2026-10-19': 1, '2026-10-20': 1, '2026-10-21': 0, '2026-11-18': 0 });
    // Raw rows of final days are gone; the cutoff's own day keeps its rows (its roll-up is not final yet),
    // including the three hours before the 03:00 cutoff; recent days are untouched.
    expect(await rawPerDay('rollup-a')).toEqual({ '2026-10-21': 24, '2026-11-18': 24, '2026-11-19': 24, '2026-11-20': 24 });
    expect(await rawPerDay('rollup-b')).toEqual({});

    // The next run (an hour later) recomputes nothing final: with the raw rows gone, a recomputation would drop them.
    const second = await cleanup('2026-11-20T04:00:00.000Z');
    expect(second.result!.counts).toMatchObject({ slots: 0 });
    expect((await rollups()).filter((r) => r.day <= '2026-10-20')).toHaveLength(3);
    expect((await rollups()).every((r) => Number(r.total) === 24)).toBe(true);
  }, 90_000);

  it('never rolls up or deletes planned and running slots: their job keeps its raw rows of that day until they have a verdict, then the roll-up is recomputed', async () => {
    // 2026-10-17 is older than every day above: 24 judged slots, one still planned, one running.
    await seedDay('rollup-c', '2026-10-17');
    await h.sql(
      `insert into job_slots (job_key, nominal_time, kind, status, attempt, runs, started_at, created_at, updated_at)
       values ('rollup-c', '2026-10-17 00:30:00', 'synthetic', 'planned', 0, 0, null, ?, ?),
              ('rollup-c', '2026-10-17 01:30:00', 'synthetic', 'running', 1, 1, '2026-10-17 01:30:00', ?, ?)`,
      [LONG_AGO, LONG_AGO, LONG_AGO, LONG_AGO],
    );
    // A verdict the 00:00 slot's later run replaced, long ago: goes with its day's raw rows.
    await h.sql(
      `insert into job_slot_runs (job_key, nominal_time, run_no, status, attempt, replaced_at) values ('rollup-c', '2026-10-17 00:00:00', 1, 'failed', 1, ?)`,
      [LONG_AGO],
    );

    const third = await cleanup('2026-11-20T05:00:00.000Z');
    expect(third.result!.counts).toMatchObject({ slots: 0 });
    const day = async () =>
      (await h.sql<DayRow[]>("select total, counts, open from job_slot_days where job_key = 'rollup-c' and day = '2026-10-17'"))[0];
    expect(Number((await day())?.total)).toBe(24);
    expect(Number((await day())?.open)).toBe(2);
    expect(sortedJson((await day())!.counts)).toBe(JSON.stringify({ failed: 2, missed: 1, succeeded: 21 }));
    // The day is final (past the retention), but this job's rows of it stay while its roll-up has open slots.
    expect((await marks())['2026-10-17']).toBe(1);
    expect(await rawPerDay('rollup-c')).toEqual({ '2026-10-17': 26 });
    expect(await h.sql<unknown[]>("select id from job_slot_runs where job_key = 'rollup-c'")).toHaveLength(1);

    // Both get their verdicts (long ago): the next run rolls the day up finally, counting them, and deletes it.
    await h.sql(
      `update job_slots set status = 'succeeded', started_at = nominal_time, finished_at = timestampadd(second, 5, nominal_time), updated_at = ?
       where job_key = 'rollup-c' and status in ('planned', 'running')`,
      [LONG_AGO],
    );
    const fourth = await cleanup('2026-11-20T06:00:00.000Z');
    expect(fourth.result!.counts).toMatchObject({ slots: 26, slotRuns: 1 });
    expect(Number((await day())?.total)).toBe(26);
    expect(Number((await day())?.open)).toBe(0);
    expect(sortedJson((await day())!.counts)).toBe(JSON.stringify({ failed: 2, missed: 1, succeeded: 23 }));
    expect((await marks())['2026-10-17']).toBe(1);
    expect(await rawPerDay('rollup-c')).toEqual({});
    expect(await h.sql<unknown[]>("select id from job_slot_runs where job_key = 'rollup-c'")).toHaveLength(0);
  }, 90_000);
  it('a slot that lands in a day whose roll-up is final (a backfill past the retention) is added to it once it has a verdict, once', async () => {
    // 2026-10-19 is final and its raw rows are gone (first test): rollup-a's roll-up is all that is left of it.
    const day = async (job: string, d: string) =>
      (await h.sql<DayRow[]>('select total, counts, timed_runs, open from job_slot_days where job_key = ? and day = ?', [job, d]))[0];
    expect(await rawPerDay('rollup-a')).not.toHaveProperty('2026-10-19');
    // A backfilled run of an hour's half-past slot starts now: its row is created as markSlotStarted creates it.
    await h.sql(
      `insert into job_slots (job_key, nominal_time, kind, status, attempt, runs, started_at, created_at, updated_at)
       values ('rollup-a', '2026-10-19 12:30:00', 'synthetic', 'running', 1, 1, now(3), now(3), now(3)),
              ('rollup-d', '2026-10-20 08:00:00', 'synthetic', 'running', 1, 1, now(3), now(3), now(3))`,
    );
    // Still running: not counted, not deleted.
    await cleanup('2026-11-20T07:00:00.000Z');
    expect(Number((await day('rollup-a', '2026-10-19')).total)).toBe(24);
    expect(await day('rollup-d', '2026-10-20')).toBeUndefined();
    expect(await rawPerDay('rollup-a')).toHaveProperty('2026-10-19', 1);

    // Their verdicts (30 s runs, finished long ago so their raw rows may go at once): counted, then deleted.
    await h.sql(
      `update job_slots set status = if(job_key = 'rollup-a', 'succeeded', 'failed'), started_at = nominal_time, finished_at = timestampadd(second, 30, nominal_time)
       where job_key in ('rollup-a', 'rollup-d') and status = 'running'`,
    );
    const fifth = await cleanup('2026-11-20T08:00:00.000Z');
    expect(fifth.result!.counts).toMatchObject({ rolledUp: 2, slots: 2 });
    const a = await day('rollup-a', '2026-10-19');
    expect({ total: Number(a.total), timed: Number(a.timed_runs), counts: sortedJson(a.counts) }).toEqual({
      total: 25,
      timed: 22,
      counts: JSON.stringify({ failed: 2, missed: 1, succeeded: 22 }),
    });
    const d = await day('rollup-d', '2026-10-20');
    expect({ total: Number(d.total), counts: sortedJson(d.counts) }).toEqual({ total: 1, counts: JSON.stringify({ failed: 1 }) });
    expect(await rawPerDay('rollup-a')).not.toHaveProperty('2026-10-19');
    expect(await rawPerDay('rollup-d')).toEqual({});

    // Counted once: the next run adds nothing.
    await cleanup('2026-11-20T09:00:00.000Z');
    expect(Number((await day('rollup-a', '2026-10-19')).total)).toBe(25);
    expect(Number((await day('rollup-d', '2026-10-20')).total)).toBe(1);
  }, 90_000);
});
