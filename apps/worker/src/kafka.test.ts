import { Kafka, logLevel } from 'kafkajs';
import { seedDataset } from '@timekeeper/db';
import { createOutboxRelay } from '@timekeeper/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, testConfig, eventually, type Harness } from './test-support/harness';

// The outbox relay while Kafka is unreachable (a relay pointed at a closed port), then reachable
// (the shared broker; never stopped here): the job succeeds regardless and every event arrives.
let h: Harness;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
beforeAll(async () => {
  h = await createHarness('kafka');
  await seedDataset(h.orm, { users: 800, orders: 8_000, products: 50, sessions: 0, now: new Date('2026-11-20T00:00:00Z'), seed: 11 });
  await h.startWorker();
}, 60_000);
afterAll(async () => h?.close(), 30_000);

describe('outbox relay', () => {
  it('delivers every event once Kafka is reachable, each with its own event id', async () => {
    const down = new Kafka({ clientId: 'tk-test-down', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0, initialRetryTime: 50 }, connectionTimeout: 300 });
    const relayDown = createOutboxRelay({ orm: h.orm, kafka: down, logger: quiet, minBackoffMs: 100, maxBackoffMs: 400, idleMs: 100 });
    relayDown.start();

    const input = h.input('vip-recalculation', { windowDays: 90, chunkSize: 200 }, { jobKey: 'vip-kafka', slot: '2026-11-20T03:00:00.000Z' });
    const summary = await (await h.start(input)).result();
    expect(summary.status).toBe('succeeded');
    const rows = await h.sql<Array<{ event_id: string; key: string }>>('select event_id, `key` from outbox');
    expect(rows.length).toBe(summary.result!.counts.changed);
    expect(rows.length).toBeGreaterThan(10);
    // The relay kept trying and failing meanwhile.
    await eventually(async () => Number((await h.sql<Array<{ n: number }>>('select count(*) as n from outbox where attempts > 0'))[0].n) > 0);
    expect(Number((await h.sql<Array<{ n: number }>>('select count(*) as n from outbox where sent_at is not null'))[0].n)).toBe(0);
    await relayDown.stop();

    const kafka = new Kafka({ clientId: 'tk-test', brokers: testConfig.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const wanted = new Map(rows.map((r) => [r.event_id, r.key]));
    const seen = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `tk-test-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'timekeeper.events', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.headers?.['event-id']?.toString();
        if (!id || !wanted.has(id)) return;
        expect(message.key?.toString()).toBe(wanted.get(id));
        expect(JSON.parse(message.value!.toString())).toMatchObject({ eventId: id, type: 'vip.tier_changed' });
        seen.set(id, (seen.get(id) ?? 0) + 1);
      },
    });
    const relayUp = createOutboxRelay({ orm: h.orm, kafka, logger: quiet, batchSize: 100, idleMs: 100 });
    relayUp.start();
    try {
      await eventually(async () => seen.size === wanted.size, 60_000, 250);
    } finally {
      await relayUp.stop();
      await consumer.disconnect();
    }
    expect(seen.size).toBe(rows.length);
    expect(Number((await h.sql<Array<{ n: number }>>('select count(*) as n from outbox where sent_at is null'))[0].n)).toBe(0);
  }, 120_000);
});
