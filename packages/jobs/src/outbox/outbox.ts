import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@timekeeper/db';

export type OutboxEvent = {
  /** Defaults to the deps' events topic when written through the chunk runner. */
  topic?: string;
  /** Kafka message key (ordering and partitioning). */
  key: string | null;
  type: string;
  payload: Record<string, unknown>;
  headers?: Record<string, string>;
  eventId?: string;
};

/** Writes events in the caller's transaction, so they exist exactly when the effects they describe do. */
export async function writeOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const now = new Date();
  const ids: string[] = [];
  const values: unknown[] = [];
  for (const e of events) {
    const id = e.eventId ?? randomUUID();
    ids.push(id);
    values.push(id, e.topic ?? 'timekeeper.events', e.key, JSON.stringify({ type: e.type, ...e.payload }), JSON.stringify({ 'event-type': e.type, ...e.headers }), now);
  }
  await tx.execute(
    `insert into outbox (event_id, topic, \`key\`, payload, headers, created_at) values ${events.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    values,
    'run',
  );
  return ids;
}
