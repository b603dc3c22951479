import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptimisticLockError } from '@mikro-orm/mariadb';
import type { MikroORM } from '@mikro-orm/mariadb';
import { createOrm, migrate } from './orm';
import { JobDefinition } from './entities';
import { freshTestDatabase } from './test-database';

// Smoke test against the real MariaDB started by infra/up.sh (DATABASE_URL from .data/infra.env).
let orm: MikroORM;

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through `npm test` or source .data/infra.env');
  orm = await createOrm({ url: await freshTestDatabase(url, 'db') });
  expect(await migrate(orm)).toContain('Migration20261128000001JobDefinitions');
});
afterAll(async () => orm?.close(true));

function definition(key: string): JobDefinition {
  return Object.assign(new JobDefinition(), {
    key,
    name: 'Nightly VIP',
    kind: 'vip-recalculation',
    params: { windowDays: 90 },
    cron: '0 3 * * *',
    timezone: 'Asia/Shanghai',
    retry: { maxAttempts: 3, initialIntervalMs: 10_000, maxIntervalMs: 300_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { runMs: 7_200_000, startToCloseMs: 3_600_000, heartbeatMs: 30_000 },
    tags: ['loyalty'],
  });
}

describe('MikroORM on MariaDB', () => {
  it('writes a job definition and reads it back in a fresh context', async () => {
    await orm.em.fork().persistAndFlush(definition('vip-nightly'));
    const read = await orm.em.fork().findOneOrFail(JobDefinition, { key: 'vip-nightly' });
    expect(read).toMatchObject({ name: 'Nightly VIP', timezone: 'Asia/Shanghai', params: { windowDays: 90 }, tags: ['loyalty'], version: 1 });
    expect(read.retry.maxAttempts).toBe(3);
  });

  it('a second migrate run applies nothing', async () => {
    expect(await migrate(orm)).toEqual([]);
  });

  it('rejects a stale version (optimistic concurrency)', async () => {
    await orm.em.fork().persistAndFlush(definition('stale-check'));
    const a = orm.em.fork();
    const b = orm.em.fork();
    const first = await a.findOneOrFail(JobDefinition, { key: 'stale-check' });
    const second = await b.findOneOrFail(JobDefinition, { key: 'stale-check' });
    first.name = 'first';
    await a.flush();
    second.name = 'second';
    await expect(b.flush()).rejects.toBeInstanceOf(OptimisticLockError);
    expect((await orm.em.fork().findOneOrFail(JobDefinition, { key: 'stale-check' })).version).toBe(2);
  });
});
