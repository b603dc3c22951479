import type { EntityManager } from '@mikro-orm/mariadb';
import { JobSlot, type SlotStatus } from '../entities/run-ledger';
import { selectRows } from './rows';

export type ListSlotsQuery = {
  /** One job, or any number of them (each a key). */
  jobKey?: string | string[];
  status?: SlotStatus | SlotStatus[];
  /** Nominal time at or after (inclusive). */
  from?: Date;
  /** Nominal time before (exclusive). */
  to?: Date;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Newest nominal time first (default), or oldest first (a timeline walking forward). */
  order?: 'desc' | 'asc';
};

export type SlotPage = { items: Readonly<JobSlot>[]; nextCursor: string | null };

// Keyset pagination on (nominal_time, id) in the listing's order: stable under concurrent inserts, no
// OFFSET scans; (job_key, nominal_time), (status, nominal_time) and (nominal_time) serve the filters.
const encodeCursor = (slot: Readonly<JobSlot>) => Buffer.from(`${slot.nominalTime.getTime()}:${slot.id}`).toString('base64url');
function decodeCursor(cursor: string): { time: Date; id: number } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isFinite(time) || !Number.isInteger(id)) throw new RangeError('invalid cursor');
  return { time: new Date(time), id };
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Slot ledger rows (planned, running and judged), one page at a time. Throws RangeError on a bad cursor.
 * Plain rows (selectRows: one parameterised SELECT, no entity hydration): this is the run listing and
 * the timeline's data, read over millions of rows, and the rows go straight into a DTO. Every filter
 * is a prefix or range of an index: (job_key, nominal_time) for jobs, (status, nominal_time) for a
 * status, (nominal_time) for a window; the order (nominal_time, id) is the index order (InnoDB
 * secondary indexes end with the primary key), so one job or one status reads only the page. One
 * job orders by nominal_time alone: it is unique per job, and MariaDB does not extend the unique
 * (job_key, nominal_time) index with the id, so "nominal_time, id" made it walk every job's rows by
 * the (nominal_time) index instead (10M rows: 25 pages/s instead of hundreds).
 */
export async function listSlots(em: EntityManager, query: ListSlotsQuery): Promise<SlotPage> {
  const limit = Math.max(1, Math.min(query.limit, 1_000));
  const desc = (query.order ?? 'desc') === 'desc';
  const where: string[] = [];
  const params: unknown[] = [];
  const and = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  const jobs = query.jobKey === undefined ? [] : Array.isArray(query.jobKey) ? query.jobKey : [query.jobKey];
  if (jobs.length === 1) and('job_key = ?', jobs[0]);
  else if (jobs.length > 1) and(`job_key in (${marks(jobs.length)})`, ...jobs);
  const statuses = query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status];
  if (statuses.length === 1) and('status = ?', statuses[0]);
  else if (statuses.length > 1) and(`status in (${marks(statuses.length)})`, ...statuses);
  if (query.from) and('nominal_time >= ?', query.from);
  if (query.to) and('nominal_time < ?', query.to);
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    const op = desc ? '<' : '>';
    and(`(nominal_time ${op} ? or (nominal_time = ? and id ${op} ?))`, c.time, c.time, c.id);
  }
  const dir = desc ? 'desc' : 'asc';
  const order = jobs.length === 1 ? `nominal_time ${dir}` : `nominal_time ${dir}, id ${dir}`;
  const sql = `select * from job_slots${where.length ? ` where ${where.join(' and ')}` : ''} order by ${order} limit ?`;
  const rows = await selectRows(em, JobSlot, sql, [...params, limit + 1]);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

/** One slot by job and nominal time, or null. */
export async function getSlot(em: EntityManager, jobKey: string, nominalTime: Date): Promise<JobSlot | null> {
  return em.findOne(JobSlot, { jobKey, nominalTime });
}
