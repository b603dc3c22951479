import type { EntityManager } from '@mikro-orm/mariadb';
import { SLOT_STATUSES, TERMINAL_SLOT_STATUSES, type SlotStatus } from '../entities/run-ledger';
import { utcDate } from '../raw-date';

/**
 * Daily roll-ups of the slot ledger: per job and UTC day of nominal time, the count of each verdict
 * and the p50/p95 duration of the slots that started and finished. Only slots with a verdict count:
 * planned and running rows (future slots, runs still going) are never rolled up, only counted as
 * `open`; a job's raw rows of a day whose roll-up has open slots are kept (see data-cleanup) and the
 * roll-up is recomputed once they have verdicts. `aggregateSlotDays` is the rule, written once: data-cleanup stores its result in job_slot_days before raw slots pass their
 * retention, and the API computes days not rolled up yet with it, so both always agree.
 */
export type SlotDayRow = {
  jobKey: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  kind: string;
  total: number;
  counts: Record<string, number>;
  /** Slots planned or running at roll-up time: not in `total` or `counts`. */
  open: number;
  timedRuns: number;
  p50Ms: number | null;
  p95Ms: number | null;
};

export const DAY_MS = 86_400_000;
/** Midnight UTC of the day holding `t`. */
export const utcDayStart = (t: Date) => new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
export const dayString = (t: Date) => t.toISOString().slice(0, 10);
export const addDays = (t: Date, days: number) => new Date(t.getTime() + days * DAY_MS);

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const DAY_OF = "date_format(nominal_time, '%Y-%m-%d')";
/** Statuses that are not a verdict yet: planned (a future slot) and running. */
export const OPEN_SLOT_STATUSES = SLOT_STATUSES.filter((s) => !TERMINAL_SLOT_STATUSES.includes(s));

/** The roll-up rule over [from, to) for the given jobs: one row per job and day that has slots. */
export async function aggregateSlotDays(em: EntityManager, q: { jobKeys: string[]; from: Date; to: Date; createdAfter?: Date }): Promise<SlotDayRow[]> {
  if (q.jobKeys.length === 0) return [];
  // `createdAfter`: only the slots that landed after then (foldLateSlots).
  const where = `job_key in (${marks(q.jobKeys.length)}) and nominal_time >= ? and nominal_time < ?${q.createdAfter ? ' and created_at > ?' : ''}`;
  const params = [...q.jobKeys, q.from, q.to, ...(q.createdAfter ? [q.createdAfter] : [])];
  const counts = await em.execute<Array<{ job_key: string; day: string; status: string; n: number; kind: string }>>(
    `select job_key, ${DAY_OF} as day, status, count(*) as n, max(kind) as kind from job_slots where ${where} group by job_key, day, status`,
    params,
  );
  // Window functions: MariaDB has percentile_cont only as one.
  const durations = await em.execute<Array<{ job_key: string; day: string; n: number; p50: number | null; p95: number | null }>>(
    `select distinct job_key, day,
       count(*) over (partition by job_key, day) as n,
       percentile_cont(0.5) within group (order by ms) over (partition by job_key, day) as p50,
       percentile_cont(0.95) within group (order by ms) over (partition by job_key, day) as p95
     from (select job_key, ${DAY_OF} as day, timestampdiff(microsecond, started_at, finished_at) / 1000 as ms
           from job_slots where ${where} and status in (${marks(TERMINAL_SLOT_STATUSES.length)}) and started_at is not null and finished_at >= started_at) timed`,
    [...params, ...TERMINAL_SLOT_STATUSES],
  );
  const rows = new Map<string, SlotDayRow>();
  for (const c of counts) {
    const id = `${c.job_key}|${c.day}`;
    const row = rows.get(id) ?? { jobKey: c.job_key, day: c.day, kind: c.kind, total: 0, counts: {}, open: 0, timedRuns: 0, p50Ms: null, p95Ms: null };
    if (OPEN_SLOT_STATUSES.includes(c.status as SlotStatus)) row.open += Number(c.n);
    else {
      row.counts[c.status] = Number(c.n);
      row.total += Number(c.n);
    }
    rows.set(id, row);
  }
  for (const d of durations) {
    const row = rows.get(`${d.job_key}|${d.day}`);
    if (!row) continue;
    row.timedRuns = Number(d.n);
    row.p50Ms = d.p50 === null ? null : Math.round(Number(d.p50));
    row.p95Ms = d.p95 === null ? null : Math.round(Number(d.p95));
  }
  return [...rows.values()].sort((a, b) => (a.jobKey === b.jobKey ? a.day.localeCompare(b.day) : a.jobKey.localeCompare(b.jobKey)));
}

/**
 * Replaces the stored roll-ups of these jobs on one day with `rows` (jobs without slots that day lose
 * theirs). `rolledAt`: the slots created up to then are counted in them (default now).
 */
export async function replaceSlotDays(em: EntityManager, day: string, jobKeys: string[], rows: SlotDayRow[], rolledAt = new Date()): Promise<void> {
  if (jobKeys.length) await em.execute(`delete from job_slot_days where day = ? and job_key in (${marks(jobKeys.length)})`, [day, ...jobKeys], 'run');
  if (rows.length === 0) return;
  await em.execute(
    `insert into job_slot_days (job_key, day, kind, total, counts, open, timed_runs, p50_ms, p95_ms, rolled_at) values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    rows.flatMap((r) => [r.jobKey, r.day, r.kind, r.total, JSON.stringify(r.counts), r.open, r.timedRuns, r.p50Ms, r.p95Ms, rolledAt]),
    'run',
  );
}

/** A job's stored roll-ups for days in [fromDay, toDay), oldest first. */
export async function readSlotDays(em: EntityManager, jobKey: string, fromDay: string, toDay: string): Promise<SlotDayRow[]> {
  const rows = await em.execute<Array<{ job_key: string; day: string; kind: string; total: number; counts: string | Record<string, number>; open: number; timed_runs: number; p50_ms: number | null; p95_ms: number | null }>>(
    "select job_key, date_format(day, '%Y-%m-%d') as day, kind, total, counts, open, timed_runs, p50_ms, p95_ms from job_slot_days where job_key = ? and day >= ? and day < ? order by day",
    [jobKey, fromDay, toDay],
  );
  return rows.map((r) => ({
    jobKey: r.job_key,
    day: r.day,
    kind: r.kind,
    total: Number(r.total),
    counts: typeof r.counts === 'string' ? (JSON.parse(r.counts) as Record<string, number>) : r.counts,
    open: Number(r.open),
    timedRuns: Number(r.timed_runs),
    p50Ms: r.p50_ms === null ? null : Number(r.p50_ms),
    p95Ms: r.p95_ms === null ? null : Number(r.p95_ms),
  }));
}

export type RollupMark = { final: boolean; rolledAt: Date };

/** Which days in [fromDay, toDay) have been rolled up, and whether finally. */
export async function readRollupMarks(em: EntityManager, fromDay: string, toDay: string): Promise<Map<string, RollupMark>> {
  const rows = await em.execute<Array<{ day: string; final: number; rolled_at: Date }>>(
    "select date_format(day, '%Y-%m-%d') as day, final, rolled_at from job_slot_rollup_days where day >= ? and day < ?",
    [fromDay, toDay],
  );
  return new Map(rows.map((r) => [r.day, { final: Number(r.final) === 1, rolledAt: new Date(r.rolled_at) }]));
}

/** Records that every job's roll-up of `day` is stored; a final mark is never taken back. */
export async function markRolledUp(em: EntityManager, day: string, final: boolean): Promise<void> {
  await em.execute(
    'insert into job_slot_rollup_days (day, final, rolled_at) values (?, ?, ?) on duplicate key update final = greatest(final, values(final)), rolled_at = values(rolled_at)',
    [day, final, new Date()],
    'run',
  );
}

/** Whether some job's stored roll-up of `day` counted open slots (it is recomputed once they have verdicts). */
export async function hasOpenRollups(em: EntityManager, day: string): Promise<boolean> {
  return (await em.execute<unknown[]>('select 1 from job_slot_days where day = ? and open > 0 limit 1', [day])).length > 0;
}

/**
 * The next `limit` jobs after `after` with slots on `day` that its stored roll-up does not count: they
 * landed after the job's roll-up of the day was made (a backfill or a re-plan reaching into a day
 * already rolled up), or the job has no roll-up of that day. Only jobs all of whose such slots have a
 * verdict (they are folded in once, see foldLateSlots), and not jobs whose roll-up counted open slots
 * (recomputed from their raw rows, which are all kept). A roll-up made at `rolled_at` counts the slots
 * created before it: a slot's row is created when it is planned or first started.
 */
export async function lateSlotJobsAfter(em: EntityManager, day: string, after: string, limit: number): Promise<string[]> {
  const from = new Date(`${day}T00:00:00.000Z`);
  const rows = await em.execute<Array<{ job_key: string }>>(
    `select s.job_key from job_slots s left join job_slot_days d on d.job_key = s.job_key and d.day = ?
     where s.nominal_time >= ? and s.nominal_time < ? and s.job_key > ? and (d.job_key is null or (d.open = 0 and s.created_at > d.rolled_at))
     group by s.job_key having sum(s.status in (${marks(OPEN_SLOT_STATUSES.length)})) = 0 order by s.job_key limit ?`,
    [day, from, addDays(from, 1), after, ...OPEN_SLOT_STATUSES, limit],
  );
  return rows.map((r) => r.job_key);
}

/**
 * Adds a job's late slots of `day` (lateSlotJobsAfter) to its stored roll-up of that day, whose raw
 * rows may be gone (a final day): counts and totals add up exactly; p50/p95 of the merged day are the
 * two parts' weighted by their timed runs (exact when one part has none). The roll-up's `rolled_at`
 * becomes the newest late slot's creation, so a slot landing later is late again.
 */
export async function foldLateSlots(em: EntityManager, day: string, jobKey: string): Promise<SlotDayRow | null> {
  const from = new Date(`${day}T00:00:00.000Z`);
  const [stored] = await em.execute<Array<{ rolled_at: Date | string }>>('select rolled_at from job_slot_days where job_key = ? and day = ? for update', [jobKey, day]);
  const createdAfter = stored ? utcDate(stored.rolled_at) : undefined;
  const [late] = await aggregateSlotDays(em, { jobKeys: [jobKey], from, to: addDays(from, 1), createdAfter });
  if (!late) return null;
  const [newest] = await em.execute<Array<{ t: Date | string }>>(
    `select max(created_at) as t from job_slots where job_key = ? and nominal_time >= ? and nominal_time < ?${createdAfter ? ' and created_at > ?' : ''}`,
    [jobKey, from, addDays(from, 1), ...(createdAfter ? [createdAfter] : [])],
  );
  const [before] = stored ? await readSlotDays(em, jobKey, day, dayString(addDays(from, 1))) : [];
  const merged = before ? mergeSlotDays(before, late) : late;
  await replaceSlotDays(em, day, [jobKey], [merged], utcDate(newest.t));
  return merged;
}

/** Two roll-ups of the same job and day, of disjoint slots, as one (percentiles weighted by timed runs). */
export function mergeSlotDays(a: SlotDayRow, b: SlotDayRow): SlotDayRow {
  const counts = { ...a.counts };
  for (const [status, n] of Object.entries(b.counts)) counts[status] = (counts[status] ?? 0) + n;
  const timedRuns = a.timedRuns + b.timedRuns;
  const weighted = (x: number | null, y: number | null) =>
    x === null || a.timedRuns === 0 ? y : y === null || b.timedRuns === 0 ? x : Math.round((x * a.timedRuns + y * b.timedRuns) / timedRuns);
  return { ...a, total: a.total + b.total, counts, open: a.open + b.open, timedRuns, p50Ms: weighted(a.p50Ms, b.p50Ms), p95Ms: weighted(a.p95Ms, b.p95Ms) };
}

/** The next `limit` jobs after `after` whose roll-up of `day` counted open slots. */
export async function openRollupJobsAfter(em: EntityManager, day: string, after: string, limit: number): Promise<string[]> {
  const rows = await em.execute<Array<{ job_key: string }>>('select job_key from job_slot_days where day = ? and open > 0 and job_key > ? order by job_key limit ?', [day, after, limit]);
  return rows.map((r) => r.job_key);
}

/**
 * SQL condition (for `alias`, a table with job_key and nominal_time) that holds unless the row's job
 * and day have a roll-up that counted open slots: those raw rows stay until the roll-up is recomputed.
 */
export const notInOpenRollup = (alias: string) =>
  `not exists (select 1 from job_slot_days d where d.job_key = ${alias}.job_key and d.day = date(${alias}.nominal_time) and d.open > 0)`;

/** The newest day whose roll-up is final (raw slots before the next day may be deleted), or null. */
export async function lastFinalRollupDay(em: EntityManager): Promise<string | null> {
  const [row] = await em.execute<Array<{ day: string | null }>>("select date_format(max(day), '%Y-%m-%d') as day from job_slot_rollup_days where final = 1");
  return row?.day ?? null;
}

/** The earliest nominal time in the ledger at or after `from` (an index lookup), or null. */
export async function firstSlotTimeFrom(em: EntityManager, from: Date): Promise<Date | null> {
  const [row] = await em.execute<Array<{ t: Date | null }>>('select min(nominal_time) as t from job_slots where nominal_time >= ?', [from]);
  return row?.t ? new Date(row.t) : null;
}

/** The next `limit` distinct job keys in the ledger after `after` (a loose scan of the (job_key, nominal_time) index). */
export async function slotJobKeysAfter(em: EntityManager, after: string, limit: number): Promise<string[]> {
  const rows = await em.execute<Array<{ job_key: string }>>('select job_key from job_slots where job_key > ? group by job_key order by job_key limit ?', [after, limit]);
  return rows.map((r) => r.job_key);
}

/** The newest day rolled up at all (days after it are computed from raw slots), or null. */
export async function newestRollupDay(em: EntityManager): Promise<string | null> {
  const [row] = await em.execute<Array<{ day: string | null }>>("select date_format(max(day), '%Y-%m-%d') as day from job_slot_rollup_days");
  return row?.day ?? null;
}
