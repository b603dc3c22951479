import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { createHarness, eventually, sleep, type Harness } from './testing/harness';

// Kafka unreachable while alerts fire (the relay points at a closed port), then reachable: every
// alert event arrives, none twice. The live stream does not wait for Kafka.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('delivery');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

describe('delivery while Kafka is down', () => {
  it('delivers every alert once Kafka is back, with no event id twice', async () => {
    const down = h.startService({ KAFKA_BROKERS: '127.0.0.1:1' });
    await eventually(() => down.active, 10_000);
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 25; i++) {
      await down.store.raise({ jobKey: `kafka-down-${i % 3}`, slot: new Date(base + i * 60_000), kind: 'failed', reason: 'boom', observation: `run-${i}`, details: { source: 'test' } });
    }
    // Live stream has them all already; Kafka has none; the rows are pending with failed attempts.
    await eventually(async () => (await h.stream()).filter((e) => e.event === 'alert').length === 25, 10_000);
    // The relay keeps trying (attempts grow) and, Kafka being unreachable, counts no failure against any row.
    const pending = await eventually(async () => {
      const [p] = await h.sql<Array<{ n: number; tried: number; failed: number }>>(
        'select count(*) n, sum(attempts > 0) tried, sum(failures > 0 or dead_at is not null) failed from outbox where topic = ? and sent_at is null',
        [h.topics.alerts],
      );
      return Number(p.tried) > 0 ? p : null;
    }, 20_000);
    expect(Number(pending.n)).toBe(25);
    expect(Number(pending.failed)).toBe(0);
    await down.stop();

    const consumed = await h.consume(h.topics.alerts);
    h.startService(); // the real broker
    await eventually(() => consumed.length >= 25, 30_000);
    await sleep(2_000); // anything doubled would show up by now
    const ids = consumed.map((m) => m.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(25);
    const outboxIds = (await h.sql<Array<{ event_id: string }>>('select event_id from outbox where topic = ?', [h.topics.alerts])).map((r) => r.event_id);
    expect(new Set(ids)).toEqual(new Set(outboxIds));
    for (const m of consumed) expect((m.value as AlertEvent).alert.jobKey).toBe(m.key);
  }, 90_000);
});
