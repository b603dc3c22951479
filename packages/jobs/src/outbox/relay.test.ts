import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createOrm, freshTestDatabase, migrate, outboxBacklog, utcDate, writeOutbox, type MikroORM, type OutboxEvent } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noopMetrics, type JobDeps } from '../deps';
import { fenceKey } from '../lock/fence';
import { createRedisClients } from '../lock/redis';
import { createRedlock } from '../lock/redlock';
import { runChunkedJob, type ChunkedJob } from '../runner/chunked';
import { createOutboxRelay, noopRelayMetrics, type OutboxRelay, type OutboxRelayOptions } from './relay';
import { startSilentBroker } from './testing/silent-broker';

// The relay against the real MariaDB and Kafka; outages are a broker that accepts TCP and never answers
// (the shared Kafka is never stopped). Issue 9 #7 (no lock across Kafka) and #8 (poison rows, order).
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through \`npm test\` or source .data/infra.env`);
  return v;
};
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const id = randomUUID().slice(0, 8);
const topic = `timekeeper.test-outbox-${id}`;
const missingTopic = `timekeeper.test-outbox-missing-${id}`;
let orm: MikroORM;
let kafka: Kafka;
const relays: OutboxRelay[] = [];
const consumers: Consumer[] = [];

beforeAll(async () => {
  orm = await createOrm({ url: await freshTestDatabase(env('DATABASE_URL'), 'outbox_relay'), poolMax: 20 });
  await migrate(orm);
  kafka = new Kafka({ clientId: `tk-test-outbox-${id}`, brokers: env('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
}, 60_000);
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all(consumers.map((c) => c.disconnect()));
  await orm?.close(true);
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
const relay = (o: Partial<OutboxRelayOptions> = {}): OutboxRelay => {
  const r = createOutboxRelay({ orm, kafka, logger: quiet, idleMs: 20, minBackoffMs: 50, maxBackoffMs: 200, standbyPollMs: 50, ...o });
  relays.push(r);
  return r;
};
const sql = <T>(q: string, params: unknown[] = []) => orm.em.fork().execute(q, params) as Promise<T>;
const rowOf = async (eventId: string) => {
  const [r] = await sql<Array<{ sent_at: string | null; dead_at: string | null; failures: number; attempts: number }>>('select sent_at, dead_at, failures, attempts from outbox where event_id = ?', [eventId]);
  return { ...r, sent_at: utcDate(r.sent_at), dead_at: utcDate(r.dead_at) };
};
const event = (key: string, payload: Record<string, unknown>, t = topic): OutboxEvent => ({ topic: t, key, type: 'test.event', payload });
const write = (events: OutboxEvent[]) => orm.em.fork().transactional((tx) => writeOutbox(tx, events));
/** Clears the outbox between tests: each test reads only its own rows back from Kafka, but relays read all. */
const clearOutbox = () => sql('delete from outbox');

type Seen = { key: string; eventId: string; seq: number };
async function consume(): Promise<Seen[]> {
  const seen: Seen[] = [];
  const consumer = kafka.consumer({ groupId: `tk-test-outbox-${randomUUID()}` });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(message.value!.toString()) as { seq?: number };
      seen.push({ key: message.key!.toString(), eventId: message.headers!['event-id']!.toString(), seq: Number(value.seq ?? -1) });
    },
  });
  return seen;
}

describe('Kafka is never on the commit path (#7)', () => {
  it('while a relay round waits on a Kafka that never answers, inserts and chunk commits elsewhere do not wait', async () => {
    await clearOutbox();
    const broker = await startSilentBroker();
    const hung = new Kafka({ clientId: 'tk-test-hung', brokers: [broker.address], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, requestTimeout: 60_000, retry: { retries: 0 } });
    // Something for the round to pick up (the old relay's FOR UPDATE claim locked these and the gap after).
    await write(Array.from({ length: 30 }, (_, i) => event(`backlog-${i % 3}`, { seq: i })));
    const stuck = createOutboxRelay({ orm, kafka: hung, logger: quiet, sendTimeoutMs: 45_000, leaseMs: 120_000 });
    let settled = false;
    const round = stuck.publishOnce().then(
      () => (settled = true),
      () => (settled = true),
    );
    await eventually(() => broker.connections > 0, 10_000);

    const insertMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = Date.now();
      await orm.em.fork().transactional(async (tx) => {
        // A lock wait fails this insert outright instead of only slowing it.
        await tx.execute('set session innodb_lock_wait_timeout = 2');
        await writeOutbox(tx, [event(`writer-${i % 4}`, { seq: i })]);
      });
      insertMs.push(Date.now() - t0);
    }

    const [redis] = createRedisClients([env('REDIS_URL')]);
    const chunkMs: number[] = [];
    const deps: JobDeps = {
      orm,
      redis,
      redlock: createRedlock([redis]),
      logger: quiet,
      metrics: { ...noopMetrics, chunkCommitted: (_kind, s) => chunkMs.push(s * 1000) },
      eventsTopic: topic,
    };
    const job: ChunkedJob = {
      kind: 'synthetic',
      step: async ({ chunk }) => ({
        cursor: chunk + 1 < 5 ? String(chunk + 1) : null,
        counts: { chunks: 1 },
        events: [{ key: `job-${id}`, type: 'test.chunk', payload: { chunk } }],
      }),
    };
    const result = await runChunkedJob(
      deps,
      { jobKey: `outbox-commit-${id}`, kind: 'synthetic', slot: new Date().toISOString(), params: {}, timezone: 'UTC', lock: { required: true, ttlMs: 5_000 }, workflowId: 'wf', runId: 'run' },
      job,
    );
    await redis.del(fenceKey(`outbox-commit-${id}`));
    await redis.quit();

    // The round was still waiting on Kafka the whole time.
    expect(settled).toBe(false);
    expect(result.chunks).toBe(5);
    // Generous bounds for a loaded machine; a lock wait would take the 2 s timeout (inserts) or until the
    // relay's Kafka call ends (chunks, 45 s).
    expect(Math.max(...insertMs)).toBeLessThan(5_000);
    expect(Math.max(...chunkMs)).toBeLessThan(5_000);
    expect(Number((await sql<Array<{ n: number }>>('select count(*) n from outbox where sent_at is null'))[0].n)).toBe(30 + 20 + 5);

    await broker.close(); // the round fails at once now: an outage, which counts no failure
    await round;
    await stuck.stop();
    expect(Number((await sql<Array<{ n: number }>>('select count(*) n from outbox where failures > 0 or dead_at is not null'))[0].n)).toBe(0);
  }, 60_000);

  it('a relay hanging on Kafka loses the lease; a standby publishes everything meanwhile', async () => {
    await clearOutbox();
    const broker = await startSilentBroker();
    const hung = new Kafka({ clientId: 'tk-test-hung', brokers: [broker.address], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, requestTimeout: 60_000, retry: { retries: 0 } });
    const seen = await consume();
    const ids = await write(Array.from({ length: 40 }, (_, i) => event(`takeover-${i % 4}`, { seq: i })));
    const stuck = relay({ kafka: hung, leaseMs: 1_500, sendTimeoutMs: 30_000 });
    stuck.start();
    await eventually(() => broker.connections > 0 && stuck.active, 10_000);
    const standby = relay({ leaseMs: 1_500 });
    standby.start();
    await eventually(() => ids.every((e) => seen.some((s) => s.eventId === e)), 30_000);
    expect(standby.active).toBe(true);
    await broker.close();
    await stuck.stop();
    await standby.stop();
  }, 60_000);

  it('an outage of any length dead-letters nothing: rows only count attempts', async () => {
    await clearOutbox();
    const down = new Kafka({ clientId: 'tk-test-down', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, connectionTimeout: 200, retry: { retries: 0 } });
    const [eventId] = await write([event('down', { seq: 0 })]);
    const r = createOutboxRelay({ orm, kafka: down, logger: quiet, maxFailures: 1 });
    for (let i = 0; i < 4; i++) await expect(r.publishOnce()).rejects.toThrow();
    await r.stop();
    expect(await rowOf(eventId)).toMatchObject({ sent_at: null, dead_at: null, failures: 0, attempts: 4 });
  }, 30_000);
});

describe('poison rows and per-key order (#8)', () => {
  it('a refused row does not delay the next event: it goes out in the same round; the row is dead-lettered after N refusals, then its key continues', async () => {
    await clearOutbox();
    const [unknownTopic, next1, behind] = await write([
      event('poison', { seq: 0 }, missingTopic), // a topic that does not exist
      event('other-1', { seq: 0 }),
      event('poison', { seq: 1 }), // same key: must wait for the row in front of it
    ]);
    const [tooLarge, next2] = await write([
      event('big', { seq: 0, blob: 'x'.repeat(1_200_000) }), // over the broker's message.max.bytes
      event('other-2', { seq: 0 }),
    ]);
    const metrics = { ...noopRelayMetrics, dead: 0, deadLettered: (n: number) => (metrics.dead += n) };
    const r = createOutboxRelay({ orm, kafka, logger: quiet, maxFailures: 3, retryBaseMs: 100, metrics });
    relays.push(r);

    // One round: both good events are out, both poisons counted one refusal, the follower waits.
    expect(await r.publishOnce()).toBe(2);
    expect((await rowOf(next1)).sent_at).not.toBeNull();
    expect((await rowOf(next2)).sent_at).not.toBeNull();
    expect(await rowOf(unknownTopic)).toMatchObject({ sent_at: null, failures: 1, dead_at: null });
    expect(await rowOf(tooLarge)).toMatchObject({ sent_at: null, failures: 1, dead_at: null });
    expect((await rowOf(behind)).sent_at).toBeNull();
    // The backlog figures the relay reports: 3 unsent (2 refused + the follower), none dead yet.
    const before = await outboxBacklog(orm.em.fork());
    expect(before).toMatchObject({ pending: 3, deadLettered: 0 });
    expect(before.oldestPendingAt).not.toBeNull();

    // Later rounds retry them (waiting retryBaseMs, doubling) until the third refusal dead-letters them.
    await eventually(async () => {
      await r.publishOnce();
      return (await rowOf(unknownTopic)).dead_at !== null && (await rowOf(tooLarge)).dead_at !== null;
    }, 20_000);
    expect(await rowOf(unknownTopic)).toMatchObject({ sent_at: null, failures: 3 });
    expect(metrics.dead).toBe(2);
    // The follower of the dead-lettered row went out after it was set aside, not before.
    await eventually(async () => {
      await r.publishOnce();
      return (await rowOf(behind)).sent_at !== null;
    }, 10_000);
    expect((await rowOf(behind)).sent_at!.getTime()).toBeGreaterThanOrEqual((await rowOf(unknownTopic)).dead_at!.getTime());
    // Dead letters are skipped from then on.
    expect(await r.publishOnce()).toBe(0);
    expect((await rowOf(unknownTopic)).failures).toBe(3);
    expect(await outboxBacklog(orm.em.fork())).toMatchObject({ pending: 0, oldestPendingAt: null, deadLettered: 2 });
    await r.stop();
  }, 40_000);

  it('two relays running keep each key in order across lease handovers', async () => {
    await clearOutbox();
    const seen = await consume();
    const keys = Array.from({ length: 6 }, (_, k) => `order-${id}-${k}`);
    const perKey = 40;
    const published = new Map<string, number>();
    const count = (name: string) => ({ ...noopRelayMetrics, published: (n: number) => published.set(name, (published.get(name) ?? 0) + n) });
    let a = relay({ batchSize: 7, leaseMs: 2_000, metrics: count('a') });
    let b = relay({ batchSize: 7, leaseMs: 2_000, metrics: count('b') });
    a.start();
    b.start();
    const total = keys.length * perKey;
    const publishedSoFar = () => [...published.values()].reduce((x, y) => x + y, 0);
    // The second half of every key waits for the first handover, so a relay other than the first one
    // publishes some of it whatever the machine's speed (not a race between writers and handovers).
    let handedOver!: () => void;
    const firstHandover = new Promise<void>((resolve) => (handedOver = resolve));
    // Each key's writer commits its events one after another (as a job's chunks do); keys run side by side.
    const writers = keys.map(async (key) => {
      for (let seq = 0; seq < perKey; seq++) {
        if (seq === perKey / 2) await firstHandover;
        await write([event(key, { seq })]);
        if (seq % 5 === 0) await sleep(5);
      }
    });
    // Meanwhile hand the lease over a few times, each once the relay holding it has published since the
    // last one: stop whichever relay publishes, start a fresh one.
    const handovers = (async () => {
      for (let i = 0; i < 3; i++) {
        const before = publishedSoFar();
        await eventually(() => (a.active || b.active) && (publishedSoFar() > before || publishedSoFar() >= total), 20_000);
        if (a.active) {
          await a.stop();
          a = relay({ batchSize: 7, leaseMs: 2_000, metrics: count(`a${i}`) });
          a.start();
        } else {
          await b.stop();
          b = relay({ batchSize: 7, leaseMs: 2_000, metrics: count(`b${i}`) });
          b.start();
        }
        if (i === 0) handedOver();
      }
    })();
    await Promise.all([...writers, handovers]);
    await eventually(() => new Set(seen.filter((s) => keys.includes(s.key)).map((s) => s.eventId)).size === total, 30_000);

    for (const key of keys) {
      // First arrival of each event, in arrival order: a redelivery may repeat an event, never pass one.
      const firsts: number[] = [];
      const got = new Set<string>();
      for (const s of seen) {
        if (s.key !== key || got.has(s.eventId)) continue;
        got.add(s.eventId);
        firsts.push(s.seq);
      }
      expect(firsts).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
    // More than one relay did publish.
    expect([...published.values()].filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 60_000);
});
