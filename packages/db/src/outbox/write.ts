import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mariadb';

/** One event for Kafka, written in the caller's transaction so it exists exactly when its effects do. */
export type OutboxEvent = {
  topic: string;
  /** Kafka message key: the partition, so the unit of ordering. Writers of one key are serialized (a row lock). */
  key: string | null;
  /** Stored in the payload (`type`) and the `event-type` header. */
  type: string;
  payload: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The `event-id` consumers dedup on; a fresh uuid unless the event already carries one. */
  eventId?: string;
};

const COLUMNS = 'event_id, topic, `key`, payload, headers, created_at';
// Rows per INSERT: keeps a large chunk's events well under the 65,535 placeholders of one statement.
const ROWS_PER_STATEMENT = 1_000;

/**
 * The one way rows enter the outbox (besides the set-based form below). Returns the event ids in order.
 * The relay adds `eventId` to the message value and the `event-id` header when it publishes.
 */
export async function writeOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<string[]> {
  const ids: string[] = [];
  const now = new Date();
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const part = events.slice(i, i + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    for (const e of part) {
      const id = e.eventId ?? randomUUID();
      ids.push(id);
      values.push(id, e.topic, e.key, JSON.stringify({ type: e.type, ...e.payload }), JSON.stringify({ 'event-type': e.type, ...e.headers }), now);
    }
    await tx.execute(
      `insert into outbox (${COLUMNS}) values ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      values,
      'run',
      tx.getTransactionContext(),
    );
  }
  return ids;
}

export type OutboxSelect = {
  topic: string;
  type: string;
  /**
   * A SELECT yielding one row per event with the columns `key` (string or null) and `payload` (a JSON
   * object, e.g. from json_object(...)). It is a derived table, whose ORDER BY MariaDB ignores: use it for
   * events that need no order among themselves (e.g. one per key).
   */
  select: string;
  params: unknown[];
};

/** Set-based form for a chunk that derives its events from rows it just wrote; returns how many. */
export async function writeOutboxFromSelect(tx: EntityManager, spec: OutboxSelect): Promise<number> {
  const res = await tx.execute<{ affectedRows: number }>(
    `insert into outbox (${COLUMNS})
     select uuid(), ?, e.\`key\`, json_merge_patch(e.payload, json_object('type', ?)), json_object('event-type', ?), ?
     from (${spec.select}) e`,
    [spec.topic, spec.type, spec.type, new Date(), ...spec.params],
    'run',
  );
  return res.affectedRows;
}
