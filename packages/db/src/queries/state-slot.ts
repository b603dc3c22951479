import type { EntityManager } from '@mikro-orm/mariadb';

// job_fences.state_slot: for a latest-state job, the newest slot whose effects have committed. The
// runner reads it locked and advances it in each chunk transaction; the API reads it to explain
// which slots a Retry or backfill would find superseded.

type Row = { state_slot: Date | string | null };

// Raw queries return DATETIME as 'YYYY-MM-DD hh:mm:ss.fff'; the ORM writes UTC (timezone +00:00).
const asDate = (v: Date | string | null | undefined): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);

/**
 * The job's state slot, or null (no latest-state slot has committed). With `forUpdate` (inside a
 * transaction) it also takes the job's fence row lock, so no other committer can move it meanwhile.
 */
export async function readStateSlot(em: EntityManager, jobKey: string, opts: { forUpdate?: boolean } = {}): Promise<Date | null> {
  const rows = await em.execute<Row[]>(`select state_slot from job_fences where job_key = ?${opts.forUpdate ? ' for update' : ''}`, [jobKey]);
  return asDate(rows[0]?.state_slot);
}

/** Moves the state slot forward to `slot` (never back). Call inside the chunk transaction. */
export async function advanceStateSlot(tx: EntityManager, jobKey: string, slot: Date): Promise<void> {
  await tx.execute('update job_fences set state_slot = ? where job_key = ? and (state_slot is null or state_slot < ?)', [slot, jobKey, slot], 'run');
}
