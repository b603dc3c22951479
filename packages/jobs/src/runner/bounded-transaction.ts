import type { EntityManager } from '@timekeeper/db';

/** Shortest statement limit a chunk gets, even when its attempt is about to end. */
const MIN_STATEMENT_MS = 100;

/**
 * Runs `body` in one transaction whose statements may each run at most `limitMs` (MariaDB
 * `max_statement_time` on the transaction's session), then restores the session's usual value
 * (`sessionMs`, 0 = none) before the connection goes back to the pool, also when the body failed.
 * The runner passes the attempt's remaining time, so no statement of a chunk outlives its attempt
 * and keeps the job's fence row locked for the next holder.
 */
export async function boundedTransaction<T>(em: EntityManager, limitMs: number, sessionMs: number, body: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (!Number.isFinite(limitMs)) return em.transactional(body);
  return em.transactional(async (tx) => {
    await tx.execute('set max_statement_time = ?', [Math.max(MIN_STATEMENT_MS, Math.floor(limitMs)) / 1000], 'run');
    try {
      return await body(tx);
    } finally {
      await tx.execute('set max_statement_time = ?', [sessionMs / 1000], 'run').catch(() => undefined);
    }
  });
}
