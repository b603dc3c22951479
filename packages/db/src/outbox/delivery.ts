import type { EntityManager } from '@mikro-orm/mariadb';
import { utcDate, type RawDate } from '../raw-date';

// The relay's reads and writes. None of them runs inside a transaction or takes a range lock: reads are
// plain consistent reads, writes touch rows by primary key, so a relay never makes an `insert into
// outbox` wait, whatever Kafka does meanwhile. The UPDATEs name rows by id alone: a condition such as
// `sent_at is null` could lead the planner to walk the delivery index instead, and at REPEATABLE READ that
// walk gap-locks the very range new rows are inserted into.

/** An unsent row as the relay sees it. */
export type OutboxRow = {
  id: number;
  eventId: string;
  topic: string;
  key: string | null;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  attempts: number;
  failures: number;
  retryAt: Date | null;
  deadAt: Date | null;
  lastError: string | null;
  createdAt: Date;
};

type Raw = {
  id: number | string;
  event_id: string;
  topic: string;
  key: string | null;
  payload: string | Record<string, unknown>;
  headers: string | Record<string, string> | null;
  attempts: number;
  failures: number;
  retry_at: RawDate;
  dead_at: RawDate;
  last_error: string | null;
  created_at: NonNullable<RawDate>;
};

const COLUMNS = 'id, event_id, topic, `key`, payload, headers, attempts, failures, retry_at, dead_at, last_error, created_at';
const json = <T>(v: string | T | null, empty: T): T => (v === null ? empty : typeof v === 'string' ? (JSON.parse(v) as T) : v);
const toRow = (r: Raw): OutboxRow => ({
  id: Number(r.id),
  eventId: r.event_id,
  topic: r.topic,
  key: r.key,
  payload: json<Record<string, unknown>>(r.payload, {}),
  headers: json<Record<string, string>>(r.headers, {}),
  attempts: Number(r.attempts),
  failures: Number(r.failures),
  retryAt: utcDate(r.retry_at),
  deadAt: utcDate(r.dead_at),
  lastError: r.last_error,
  createdAt: utcDate(r.created_at),
});
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const ERROR_MAX = 2_000;

/** Unsent rows that failed before (not dead), oldest first: each blocks its key until sent or dead-lettered. */
export async function readFailingOutbox(em: EntityManager, limit: number): Promise<OutboxRow[]> {
  const rows = await em.execute<Raw[]>(`select ${COLUMNS} from outbox where sent_at is null and dead_at is null and failures > 0 order by id limit ?`, [limit]);
  return rows.map(toRow);
}

/**
 * Unsent rows that never failed, oldest first (the index's order: on a small table the planner would
 * rather walk the primary key, which past a long sent history means reading all of it), leaving out the keys that are blocked behind a failing row
 * (and, when given, rows from `belowId` on).
 */
export async function readPendingOutbox(em: EntityManager, limit: number, blockedKeys: string[] = [], belowId?: number): Promise<OutboxRow[]> {
  const skip = blockedKeys.length ? ` and (\`key\` is null or \`key\` not in (${marks(blockedKeys.length)}))` : '';
  const below = belowId === undefined ? '' : ' and id < ?';
  const rows = await em.execute<Raw[]>(
    `select ${COLUMNS} from outbox force index (outbox_delivery_index)
     where sent_at is null and dead_at is null and failures = 0${skip}${below} order by id limit ?`,
    [...blockedKeys, ...(belowId === undefined ? [] : [belowId]), limit],
  );
  return rows.map(toRow);
}

/** Kafka acknowledged these rows. */
export async function markOutboxSent(em: EntityManager, ids: number[], at = new Date()): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`update outbox set sent_at = ?, attempts = attempts + 1 where id in (${marks(ids.length)})`, [at, ...ids], 'run');
}

/** A try that failed for a reason that is not the rows' fault (Kafka unreachable): noted, never dead-letters. */
export async function noteOutboxAttempt(em: EntityManager, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`update outbox set attempts = attempts + 1, last_error = ? where id in (${marks(ids.length)})`, [error.slice(0, ERROR_MAX), ...ids], 'run');
}

export type FailurePolicy = {
  /** The failure at which a row is dead-lettered. */
  maxFailures: number;
  /** Wait before the next try after `failures` failures. */
  retryDelayMs: (failures: number) => number;
};

/**
 * The broker refused this row: one more failure, a later retry time, or the dead letter at the limit.
 * Conditional on the failure count read, so two relays that both saw the failure count it once (one row
 * by primary key: the planner always takes that constant lookup).
 */
export async function noteOutboxFailure(em: EntityManager, row: OutboxRow, error: string, policy: FailurePolicy, now = new Date()): Promise<'retry' | 'dead' | 'unchanged'> {
  const failures = row.failures + 1;
  const dead = failures >= policy.maxFailures;
  const res = await em.execute<{ affectedRows: number }>(
    `update outbox set attempts = attempts + 1, failures = ?, last_error = ?, retry_at = ?, dead_at = ?
     where id = ? and sent_at is null and dead_at is null and failures = ?`,
    [failures, error.slice(0, ERROR_MAX), dead ? null : new Date(now.getTime() + policy.retryDelayMs(failures)), dead ? now : null, row.id, row.failures],
    'run',
  );
  if (res.affectedRows !== 1) return 'unchanged';
  return dead ? 'dead' : 'retry';
}

export type OutboxBacklog = {
  /** Unsent rows that are not dead-lettered. */
  pending: number;
  /** created_at of the oldest of them, null when there is none. */
  oldestPendingAt: Date | null;
  deadLettered: number;
};

/** Backlog figures for metrics: counts read from the delivery index alone, the oldest row by id. */
export async function outboxBacklog(em: EntityManager): Promise<OutboxBacklog> {
  const [counts] = await em.execute<Array<{ pending: number | string | null; dead: number | string | null }>>(
    'select sum(dead_at is null) as pending, sum(dead_at is not null) as dead from outbox where sent_at is null',
  );
  // Two ordered reads instead of one min(): each follows the index order, whatever the backlog's size.
  const [fresh] = await em.execute<Array<{ created_at: RawDate }>>('select created_at from outbox where sent_at is null and dead_at is null and failures = 0 order by id limit 1');
  const [failing] = await em.execute<Array<{ created_at: RawDate }>>('select created_at from outbox where sent_at is null and dead_at is null and failures > 0 order by id limit 1');
  const oldest = [fresh?.created_at, failing?.created_at].map((d) => utcDate(d ?? null)).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return { pending: Number(counts?.pending ?? 0), oldestPendingAt: oldest, deadLettered: Number(counts?.dead ?? 0) };
}

/** Dead-lettered rows after (deadAt, id) in that order, for the alert that makes each one visible. */
export async function readDeadLetters(em: EntityManager, after: { deadAt: Date; id: number }, limit: number): Promise<OutboxRow[]> {
  const rows = await em.execute<Raw[]>(
    `select ${COLUMNS} from outbox where sent_at is null and dead_at >= ? and (dead_at > ? or id > ?) order by dead_at, id limit ?`,
    [after.deadAt, after.deadAt, after.id, limit],
  );
  return rows.map(toRow);
}
