import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createOrm, freshTestDatabase, migrate, writeOutbox, type MikroORM } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSink } from './live-sink';
import { testConfig } from './testing/harness';

// Real MariaDB and Redis; a stream key of this suite's own.
const streamKey = `tk:test:live-sink:${randomUUID()}`;
let orm: MikroORM;
let redis: Redis;
beforeAll(async () => {
  orm = await createOrm({ url: await freshTestDatabase(testConfig.DATABASE_URL, 'live_sink') });
  await migrate(orm);
  redis = new Redis(testConfig.REDIS_URL);
});
afterAll(async () => {
  await redis?.del(streamKey, `${streamKey}:outbox-cursor`);
  await redis?.quit();
  await orm?.close(true);
});

const addOutbox = (topic: string, n: number) => writeOutbox(orm.em.fork(), [{ topic, key: 'job-a', type: 'test', payload: { n } }]);

describe('LiveSink', () => {
  it('copies alert and run rows to the stream once, and starts over when the database was recreated', async () => {
    // A cursor left by an earlier database of the same name, far ahead of this one's ids.
    await redis.set(`${streamKey}:outbox-cursor`, '5000');
    await addOutbox('timekeeper.runs', 1);
    await addOutbox('timekeeper.events', 2);
    await addOutbox('timekeeper.alerts', 3);
    const sink = new LiveSink({ orm, redis, streamKey, maxLen: 1000, topics: { alerts: 'timekeeper.alerts', runs: 'timekeeper.runs' } });
    expect(await sink.pass()).toBe(2);
    expect(await sink.pass()).toBe(0);
    const entries = await redis.xrange(streamKey, '-', '+');
    expect(entries.map(([, fields]) => fields[1])).toEqual(['run', 'alert']);
    expect(Number(await redis.get(`${streamKey}:outbox-cursor`))).toBe(3);
  });
});
