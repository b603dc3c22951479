import type { Kafka, Producer } from 'kafkajs';
import type { MikroORM } from '@timekeeper/db';
import { noopMetrics, type JobLogger, type JobMetrics } from '../deps';

export type OutboxRelayOptions = {
  orm: MikroORM;
  kafka: Kafka;
  logger: JobLogger;
  metrics?: JobMetrics;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Wait between rounds when the outbox is empty. */
  idleMs?: number;
  /** Backoff after a failed publish: doubles from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
};

export type OutboxRelay = {
  start(): void;
  /** Stops after the round in flight; resolves once stopped. */
  stop(): Promise<void>;
  /** Runs one round now (tests); returns how many rows it published. */
  publishOnce(): Promise<number>;
};

type Row = { id: number; event_id: string; topic: string; key: string | null; payload: Record<string, unknown> | string; headers: Record<string, string> | string };

/**
 * Ships outbox rows to Kafka: claims a batch with SELECT ... FOR UPDATE SKIP LOCKED (so several
 * relays share the work without sending a row twice at the same time), sends it, marks it sent in
 * the same transaction. Kafka keys are the rows' keys; every message carries its `event-id` header
 * (and `eventId` in the value) so consumers can drop redeliveries: publishing is at-least-once.
 * While Kafka is down the claim rolls back, the rows' attempts grow, and the relay backs off.
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const metrics = opts.metrics ?? noopMetrics;
  const batchSize = opts.batchSize ?? 500;
  const idleMs = opts.idleMs ?? 500;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let producer: Producer | null = null;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function connected(): Promise<Producer> {
    if (producer) return producer;
    const p = opts.kafka.producer({ allowAutoTopicCreation: false, idempotent: false, maxInFlightRequests: 5 });
    try {
      await p.connect();
    } catch (err) {
      await p.disconnect().catch(() => undefined);
      throw err;
    }
    producer = p;
    return p;
  }

  async function publishOnce(): Promise<number> {
    const em = opts.orm.em.fork();
    let claimed: Row[] = [];
    try {
      return await em.transactional(async (tx) => {
        claimed = await tx.execute<Row[]>(
          'select id, event_id, topic, `key`, payload, headers from outbox where sent_at is null order by id limit ? for update skip locked',
          [batchSize],
        );
        if (claimed.length === 0) return 0;
        const byTopic = new Map<string, Row[]>();
        for (const r of claimed) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
        const p = await connected();
        await p.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, rows]) => ({
            topic,
            messages: rows.map((r) => {
              const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload;
              const headers = typeof r.headers === 'string' ? (JSON.parse(r.headers) as Record<string, string>) : (r.headers ?? {});
              return {
                key: r.key,
                value: JSON.stringify({ eventId: r.event_id, ...payload }),
                headers: { ...headers, 'event-id': r.event_id },
              };
            }),
          })),
        });
        const ids = claimed.map((r) => r.id);
        await tx.execute(`update outbox set sent_at = ?, attempts = attempts + 1 where id in (${ids.map(() => '?').join(',')})`, [new Date(), ...ids], 'run');
        metrics.outboxPublished(ids.length);
        return ids.length;
      });
    } catch (err) {
      metrics.outboxPublishFailed();
      // The claim rolled back; note the failed attempt so operators can see rows that are stuck.
      if (claimed.length) {
        const ids = claimed.map((r) => r.id);
        const message = err instanceof Error ? err.message : String(err);
        await opts.orm.em
          .fork()
          .execute(`update outbox set attempts = attempts + 1, last_error = ? where id in (${ids.map(() => '?').join(',')}) and sent_at is null`, [message.slice(0, 2000), ...ids], 'run')
          .catch(() => undefined);
      }
      const stale = producer;
      producer = null;
      await stale?.disconnect().catch(() => undefined);
      throw err;
    }
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  async function run(): Promise<void> {
    let backoff = minBackoff;
    while (running) {
      try {
        const sent = await publishOnce();
        backoff = minBackoff;
        if (sent < batchSize && running) await pause(idleMs);
      } catch (err) {
        opts.logger.warn({ err: err instanceof Error ? err.message : String(err), retryInMs: backoff }, 'outbox publish failed; retrying');
        if (running) await pause(backoff + Math.random() * backoff * 0.2);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
      const p = producer;
      producer = null;
      await p?.disconnect().catch(() => undefined);
    },
    publishOnce,
  };
}
