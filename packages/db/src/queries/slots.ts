import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { JobSlot, type SlotStatus } from '../entities/run-ledger';

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

export type SlotPage = { items: JobSlot[]; nextCursor: string | null };

// Keyset pagination on (nominal_time, id) in the listing's order: stable under concurrent inserts, no
// OFFSET scans; (job_key, nominal_time), (status, nominal_time) and (nominal_time) serve the filters.
const encodeCursor = (slot: JobSlot) => Buffer.from(`${slot.nominalTime.getTime()}:${slot.id}`).toString('base64url');
function decodeCursor(cursor: string): { time: Date; id: number } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isFinite(time) || !Number.isInteger(id)) throw new RangeError('invalid cursor');
  return { time: new Date(time), id };
}

/** Slot ledger rows (planned, running and judged), one page at a time. Throws RangeError on a bad cursor. */
export async function listSlots(em: EntityManager, query: ListSlotsQuery): Promise<SlotPage> {
  const limit = Math.max(1, Math.min(query.limit, 1_000));
  const and: FilterQuery<JobSlot>[] = [];
  const desc = (query.order ?? 'desc') === 'desc';
  if (Array.isArray(query.jobKey)) and.push({ jobKey: { $in: query.jobKey } });
  else if (query.jobKey) and.push({ jobKey: query.jobKey });
  if (query.status) and.push({ status: Array.isArray(query.status) ? { $in: query.status } : query.status });
  if (query.from) and.push({ nominalTime: { $gte: query.from } });
  if (query.to) and.push({ nominalTime: { $lt: query.to } });
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    const past = desc ? '$lt' : '$gt';
    and.push({ $or: [{ nominalTime: { [past]: c.time } }, { nominalTime: c.time, id: { [past]: c.id } }] });
  }
  const rows = await em.find(JobSlot, and.length ? { $and: and } : {}, {
    orderBy: { nominalTime: desc ? 'desc' : 'asc', id: desc ? 'desc' : 'asc' },
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

/** One slot by job and nominal time, or null. */
export async function getSlot(em: EntityManager, jobKey: string, nominalTime: Date): Promise<JobSlot | null> {
  return em.findOne(JobSlot, { jobKey, nominalTime });
}
