import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/mariadb';
import { createOrm, migrate } from '../orm';
import { freshTestDatabase } from '../test-database';
import { markOutboxSent } from './delivery';
import { deleteSentOutbox } from './retention';
import { writeOutbox } from './write';

// Retention of sent outbox rows against the real MariaDB: only rows sent before the cutoff go, in
// batches, and a batch left open in its transaction makes neither an insert nor the relay wait.
let orm: MikroORM;
beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through `npm test` or source .data/infra.env');
  orm = await createOrm({ url: await freshTestDatabase(url, 'outbox_retention') });
  await migrate(orm);
});
afterAll(async () => orm?.close(true));

const HOUR = 3_600_000;
const now = Date.now();
const sql = <T>(q: string, params: unknown[] = []) => orm.em.fork().execute(q, params) as Promise<T>;
/** One row per state, sent (or dead) `hoursAgo` before now. */
async function row(state: 'sent' | 'unsent' | 'dead', hoursAgo: number): Promise<string> {
  const [id] = await writeOutbox(orm.em.fork(), [{ topic: 't', key: 'k', type: 'test', payload: { state, hoursAgo } }]);
  const at = new Date(now - hoursAgo * HOUR);
  await sql('update outbox set created_at = ? where event_id = ?', [at, id]);
  if (state === 'sent') await sql('update outbox set sent_at = ? where event_id = ?', [at, id]);
  if (state === 'dead') await sql('update outbox set dead_at = ?, failures = 5 where event_id = ?', [at, id]);
  return id;
}
const left = async () => (await sql<Array<{ event_id: string }>>('select event_id from outbox order by id')).map((r) => r.event_id);

describe('deleteSentOutbox', () => {
  it('deletes only rows sent before the cutoff, a batch at a time; unsent and dead-lettered rows stay', async () => {
    const old = [await row('sent', 100), await row('sent', 90), await row('sent', 80), await row('sent', 75), await row('sent', 73)];
    const keep = [await row('sent', 71), await row('sent', 1), await row('unsent', 200), await row('dead', 200)];
    const cutoff = new Date(now - 72 * HOUR);
    expect(await deleteSentOutbox(orm.em.fork(), cutoff, 2)).toBe(2);
    expect(await deleteSentOutbox(orm.em.fork(), cutoff, 2)).toBe(2);
    expect(await deleteSentOutbox(orm.em.fork(), cutoff, 2)).toBe(1);
    expect(await deleteSentOutbox(orm.em.fork(), cutoff, 2)).toBe(0);
    const remaining = await left();
    expect(remaining.sort()).toEqual([...keep].sort());
    expect(remaining.some((id) => old.includes(id))).toBe(false);
  });

  it('holds no lock a writer or the relay waits on, even while its transaction stays open', async () => {
    await sql('delete from outbox');
    await row('sent', 100);
    const pending = await row('unsent', 1);
    const [{ id: pendingId }] = await sql<Array<{ id: number }>>('select id from outbox where event_id = ?', [pending]);
    await orm.em.fork().transactional(async (tx) => {
      expect(await deleteSentOutbox(tx, new Date(now - 72 * HOUR), 100)).toBe(1);
      const t0 = Date.now();
      // A lock wait fails these outright (1 s) instead of only slowing them.
      await orm.em.fork().transactional(async (other) => {
        await other.execute('set session innodb_lock_wait_timeout = 1');
        await writeOutbox(other, [{ topic: 't', key: 'k', type: 'test', payload: { during: true } }]);
        // The relay marking a row sent moves its index entry past the deleted range (a range DELETE's gap lock).
        await markOutboxSent(other, [Number(pendingId)]);
      });
      expect(Date.now() - t0).toBeLessThan(1_000);
    });
    expect((await left()).length).toBe(2);
  });
});
