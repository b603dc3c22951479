import type { EntityManager } from '@mikro-orm/mariadb';

/** The lease row the migration creates: one publishing relay per database. */
export const OUTBOX_LEASE = 'outbox';

/**
 * Takes or renews the relay lease for `ttlMs` (on the database clock, so relays on machines whose clocks
 * differ agree on expiry). True while `holder` holds it. One autocommit UPDATE by primary key: no
 * transaction stays open, and no outbox row is touched.
 */
export async function holdOutboxLease(em: EntityManager, holder: string, ttlMs: number, name = OUTBOX_LEASE): Promise<boolean> {
  // renewals + 1 makes every successful call change the row, so affectedRows is 1 exactly when held.
  const res = await em.execute<{ affectedRows: number }>(
    `update outbox_relay_lease set holder = ?, expires_at = now(3) + interval ? microsecond, renewals = renewals + 1, updated_at = now(3)
     where name = ? and (holder = ? or expires_at <= now(3))`,
    [holder, Math.round(ttlMs * 1000), name, holder],
    'run',
  );
  return res.affectedRows === 1;
}

/** Recreates the lease row if it is missing (the migration makes it; a restore or a hand-cleaned table may lack it). */
export async function ensureOutboxLease(em: EntityManager, name = OUTBOX_LEASE): Promise<void> {
  await em.execute("insert ignore into outbox_relay_lease (name, holder, expires_at, renewals, updated_at) values (?, '', '1970-01-02 00:00:00', 0, now(3))", [name], 'run');
}

/** Gives the lease up at once (graceful stop), so a standby relay takes over without waiting for expiry. */
export async function releaseOutboxLease(em: EntityManager, holder: string, name = OUTBOX_LEASE): Promise<void> {
  await em.execute("update outbox_relay_lease set holder = '', expires_at = now(3) - interval 1 second, updated_at = now(3) where name = ? and holder = ?", [name, holder], 'run');
}
