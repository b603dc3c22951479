import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/mariadb';
import { createOrm, migrate } from '../orm';
import { JobDefinition, JobSlot } from '../entities';
import { freshTestDatabase } from '../test-database';
import { selectRows } from './rows';
import { listSlots } from './slots';

// selectRows runs outside a transaction as a prepared statement on a pooled driver connection (binary
// protocol), past the ORM's query path: its rows must be the ones the ORM's own find gives, column for
// column (dates, JSON, BIGINT as numbers, booleans, nulls), and dates as parameters must bind in UTC.
// A process zone that is not UTC: the driver must make dates in the session's zone (UTC), not the process's.
process.env.TZ = 'America/New_York';
let orm: MikroORM;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through `npm test` or source .data/infra.env');
  orm = await createOrm({ url: await freshTestDatabase(url, 'rows') });
  await migrate(orm);
  const em = orm.em.fork();
  const t0 = new Date('2026-03-29T00:59:59.123Z');
  for (let i = 0; i < 3; i++) {
    em.persist(
      Object.assign(new JobSlot(), {
        jobKey: 'rows-job',
        nominalTime: new Date(t0.getTime() + i * 60_000),
        kind: 'synthetic',
        status: i === 1 ? 'failed' : 'succeeded',
        workflowId: i === 2 ? null : `tk-rows-job-${i}`,
        attempt: 1,
        runs: 1,
        startedAt: new Date(t0.getTime() + i * 60_000 + 200),
        finishedAt: i === 2 ? null : new Date(t0.getTime() + i * 60_000 + 1_700),
        result: i === 1 ? null : { chunks: 2, counts: { users: 9_000_000_001 } },
        progress: { chunk: 1, cursor: null, counts: {} },
        errorMessage: i === 1 ? 'boom "quoted" \u00e9' : null,
        fence: i === 0 ? 2 ** 40 : null,
        reportPending: i === 0,
      }),
    );
  }
  await em.flush();
  await em.fork().persistAndFlush(
    Object.assign(new JobDefinition(), {
      key: 'rows-def',
      name: 'Rows',
      kind: 'synthetic',
      params: { chunks: 2 },
      cron: '* * * * *',
      retry: { maxAttempts: 3, initialIntervalMs: 10_000, maxIntervalMs: 300_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
      timeouts: { runMs: 7_200_000, startToCloseMs: 3_600_000, heartbeatMs: 30_000 },
      tags: ['a', 'b'],
    }),
  );
});
afterAll(async () => orm?.close(true));

const plain = <T extends object>(e: T) => ({ ...e });

describe('selectRows', () => {
  it('gives the rows the ORM hydrates, field for field', async () => {
    const found = await orm.em.fork().find(JobSlot, {}, { orderBy: { id: 'asc' } });
    const rows = await selectRows(orm.em.fork(), JobSlot, 'select * from job_slots order by id', []);
    expect(rows.map(plain)).toEqual(found.map(plain));
    expect(rows[0].fence).toBe(2 ** 40);
    expect(rows[0].nominalTime).toEqual(new Date('2026-03-29T00:59:59.123Z'));
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(300);
    const [def] = await selectRows(orm.em.fork(), JobDefinition, 'select * from job_definitions where `key` = ?', ['rows-def']);
    expect(plain(def)).toEqual(plain(await orm.em.fork().findOneOrFail(JobDefinition, { key: 'rows-def' })));
  });

  it('binds dates as UTC instants and pages by them', async () => {
    const from = new Date('2026-03-29T01:00:59.123Z');
    const page = await listSlots(orm.em.fork(), { jobKey: 'rows-job', from, limit: 1, order: 'asc' });
    expect(page.items.map((s) => s.nominalTime.toISOString())).toEqual(['2026-03-29T01:00:59.123Z']);
    const next = await listSlots(orm.em.fork(), { jobKey: 'rows-job', from, limit: 1, order: 'asc', cursor: page.nextCursor! });
    expect(next.items.map((s) => s.nominalTime.toISOString())).toEqual(['2026-03-29T01:01:59.123Z']);
    expect(next.nextCursor).toBeNull();
  });

  it('inside a transaction reads on its connection (sees its uncommitted rows)', async () => {
    await orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute("update job_slots set status = 'cancelled' where job_key = 'rows-job'", [], 'run', em.getTransactionContext());
      const rows = await selectRows(em, JobSlot, 'select * from job_slots where status = ?', ['cancelled']);
      expect(rows).toHaveLength(3);
      throw new Error('roll back');
    }).catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await selectRows(orm.em.fork(), JobSlot, 'select * from job_slots where status = ?', ['cancelled'])).toHaveLength(0);
  });

  it('a bad statement is a driver error, and the connection goes back to the pool', async () => {
    for (let i = 0; i < 15; i++) await expect(selectRows(orm.em.fork(), JobSlot, 'select * from no_such_table', [])).rejects.toThrow(/no_such_table/);
    expect(await selectRows(orm.em.fork(), JobSlot, 'select * from job_slots where id = ?', [1])).toHaveLength(1);
  });
});
