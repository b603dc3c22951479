import type { EntityManager } from '@mikro-orm/mariadb';

/**
 * Deletes up to `limit` rows that were sent before `sentBefore`; unsent and dead-lettered rows are never
 * touched. The ids come from a plain read and the DELETE goes by primary key, so it locks only the rows
 * it removes (sent rows nobody writes), never a range an `insert into outbox` would wait on.
 */
export async function deleteSentOutbox(em: EntityManager, sentBefore: Date, limit: number): Promise<number> {
  const rows = await em.execute<Array<{ id: number | string }>>('select id from outbox where sent_at < ? order by sent_at limit ?', [sentBefore, limit]);
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => Number(r.id));
  // By id alone: a `sent_at < ?` here could make the planner walk the delivery index, gap-locking the end
  // of the sent range that the relay's next `sent_at = now` lands in. A sent row never becomes unsent.
  const res = await em.execute<{ affectedRows: number }>(`delete from outbox where id in (${ids.map(() => '?').join(', ')})`, ids, 'run');
  return res.affectedRows;
}
