import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { JobSlot, type SlotStatus } from '../entities/run-ledger';

export type ListSlotsQuery = {
  jobKey?: string;
  status?: SlotStatus | SlotStatus[];
  /** Nominal time at or after (inclusive). */
  from?: Date;
  /** Nominal time before (exclusive). */
  to?: Date;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
};

export type SlotPage = { items: JobSlot[]; nextCursor: string | null };

// Keyset pagination on (nominal_time desc, id desc): stable under concurrent inserts, no OFFSET scans.
const encodeCursor = (slot: JobSlot) => Buffer.from(`${slot.nominalTime.getTime()}:${slot.id}`).toString('base64url');
function decodeCursor(cursor: string): { time: Date; id: number } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isFinite(time) || !Number.isInteger(id)) throw new RangeError('invalid cursor');
  return { time: new Date(time), id };
}

/** Slot ledger rows, newest nominal time first, one page at a time. Throws RangeError on a bad cursor. */
export async function listSlots(em: EntityManager, query: ListSlotsQuery): Promise<SlotPage> {
  const limit = Math.max(1, Math.min(query.limit, 1_000));
  const and: FilterQuery<JobSlot>[] = [];
  if (query.jobKey) and.push({ jobKey: query.jobKey });
  if (query.status) and.push({ status: Array.isArray(query.status) ? { $in: query.status } : query.status });
  if (query.from) and.push({ nominalTime: { $gte: query.from } });
  if (query.to) and.push({ nominalTime: { $lt: query.to } });
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    and.push({ $or: [{ nominalTime: { $lt: c.time } }, { nominalTime: c.time, id: { $lt: c.id } }] });
  }
  const rows = await em.find(JobSlot, and.length ? { $and: and } : {}, {
    orderBy: { nominalTime: 'desc', id: 'desc' },
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

/** One slot by job and nominal time, or null. */
export async function getSlot(em: EntityManager, jobKey: string, nominalTime: Date): Promise<JobSlot | null> {
  return em.findOne(JobSlot, { jobKey, nominalTime });
}
