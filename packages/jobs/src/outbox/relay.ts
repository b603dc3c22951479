import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import {
  ensureOutboxLease,
  holdOutboxLease,
  markOutboxSent,
  noteOutboxAttempt,
  noteOutboxFailure,
  outboxBacklog,
  readFailingOutbox,
  readPendingOutbox,
  releaseOutboxLease,
  type FailurePolicy,
  type MikroORM,
  type OutboxRow,
} from '@timekeeper/db';
import type { JobLogger } from '../deps';
import { KafkaPublisher, PublishError, classifyKafkaError, type FailureClass } from './publisher';

/** Backlog as the active relay last read it; a standby reports zeros, so sum or max across processes. */
export type OutboxBacklogFigures = { active: boolean; pending: number; oldestPendingSeconds: number; deadLettered: number };

/** What the relay reports; each app implements it on its own metrics registry. */
export interface OutboxRelayMetrics {
  published(count: number): void;
  /** A round that stopped on an outage (Kafka not answering). */
  publishFailed(): void;
  deadLettered(count: number): void;
  backlog(figures: OutboxBacklogFigures): void;
}

export const noopRelayMetrics: OutboxRelayMetrics = { published: () => undefined, publishFailed: () => undefined, deadLettered: () => undefined, backlog: () => undefined };

export type OutboxRelayOptions = {
  orm: MikroORM;
  kafka: Kafka;
  logger: JobLogger;
  metrics?: OutboxRelayMetrics;
  /** Rows read per round. */
  batchSize?: number;
  /** Wait between rounds when the outbox is drained. */
  idleMs?: number;
  /** Backoff after an outage: doubles from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Lease lifetime: a crashed active relay is replaced after at most this long. */
  leaseMs?: number;
  /** How often a standby relay tries to take the lease. */
  standbyPollMs?: number;
  /** Longest wait for one call to Kafka; keep it well under leaseMs. */
  sendTimeoutMs?: number;
  /** Refusals of a row (sent alone) after which it is dead-lettered. */
  maxFailures?: number;
  /** Wait before retrying a refused row: doubles per failure from base to max. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often the active relay reads the backlog figures. */
  statsIntervalMs?: number;
  /** Names this relay in the lease row (default host:pid:random). */
  holder?: string;
};

export type OutboxRelay = {
  start(): void;
  /** Stops after the round in flight and gives the lease up; resolves once stopped. */
  stop(): Promise<void>;
  /** Runs one round now (tests); returns how many rows it published (0 when another relay holds the lease). */
  publishOnce(): Promise<number>;
  /** Whether this relay held the lease at its last look. */
  readonly active: boolean;
};

class LeaseLost extends Error {}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Ships outbox rows to Kafka without ever holding a database lock across a network call.
 *
 * - One relay publishes at a time: it holds a lease row (`outbox_relay_lease`, renewed by a one-row
 *   UPDATE); the others stand by and take over when it stops or its lease runs out. With every relay
 *   reading the oldest unsent rows and sending them in id order on one in-flight request, a key's events
 *   reach Kafka in the order they were written, even across a takeover (a relay that lost its lease
 *   mid-send can only repeat rows, never pass them; consumers dedup by `event-id`).
 * - A round reads rows with plain SELECTs, sends, then marks them sent by primary key: no transaction is
 *   open while Kafka is called, so Kafka being down or hanging never delays a commit elsewhere.
 * - A failed batch is split in halves until the refused row is alone; the others go out in the same round.
 *   A refused row counts a failure, waits (retryBaseMs doubling) and blocks only the rows of its own key
 *   until it is sent or, at maxFailures, dead-lettered (`dead_at`); then the rows of its key behind it
 *   continue. An outage counts nothing: the round stops and the relay backs off.
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const metrics = opts.metrics ?? noopRelayMetrics;
  const log = opts.logger;
  const batchSize = opts.batchSize ?? 500;
  const idleMs = opts.idleMs ?? 500;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const leaseMs = opts.leaseMs ?? 15_000;
  const standbyPollMs = opts.standbyPollMs ?? 1_000;
  const statsIntervalMs = opts.statsIntervalMs ?? 10_000;
  const retryBase = opts.retryBaseMs ?? 1_000;
  const retryMax = opts.retryMaxMs ?? 60_000;
  const holder = (opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(0, 100);
  const policy: FailurePolicy = { maxFailures: opts.maxFailures ?? 5, retryDelayMs: (n) => Math.min(retryMax, retryBase * 2 ** (n - 1)) };
  const publisher = new KafkaPublisher({ kafka: opts.kafka, sendTimeoutMs: opts.sendTimeoutMs ?? Math.min(10_000, Math.floor(leaseMs / 3)) });
  const em = () => opts.orm.em.fork();

  let heldUntil = 0;
  let active = false;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let lastStats = 0;
  let leaseRowChecked = false;

  /** True while this relay holds the lease; renews it once half of it has run out. */
  async function holdLease(): Promise<boolean> {
    const now = Date.now();
    if (active && heldUntil - now > leaseMs / 2) return true;
    if (!leaseRowChecked) {
      await ensureOutboxLease(em());
      leaseRowChecked = true;
    }
    const held = await holdOutboxLease(em(), holder, leaseMs);
    heldUntil = held ? now + leaseMs : 0;
    if (held !== active) log.info({ holder }, held ? 'outbox relay: lease taken, publishing' : 'outbox relay: lease held elsewhere, standing by');
    active = held;
    return held;
  }

  async function reportBacklog(force = false): Promise<void> {
    if (!force && Date.now() - lastStats < statsIntervalMs) return;
    lastStats = Date.now();
    if (!active) return metrics.backlog({ active: false, pending: 0, oldestPendingSeconds: 0, deadLettered: 0 });
    const b = await outboxBacklog(em());
    const oldest = b.oldestPendingAt ? Math.max(0, (Date.now() - b.oldestPendingAt.getTime()) / 1000) : 0;
    metrics.backlog({ active: true, pending: b.pending, oldestPendingSeconds: oldest, deadLettered: b.deadLettered });
  }

  /** One round's bookkeeping: keys that must wait (a row of theirs failed) and what was sent. */
  type Round = { blocked: Set<string>; sent: number };
  const isBlocked = (round: Round, r: OutboxRow) => r.key !== null && round.blocked.has(r.key);

  async function rowFailed(round: Round, row: OutboxRow, failure: FailureClass, error: string): Promise<void> {
    if (failure === 'transient') {
      await noteOutboxAttempt(em(), [row.id], error);
      if (row.key !== null) round.blocked.add(row.key);
      return;
    }
    const outcome = await noteOutboxFailure(em(), row, error, policy);
    if (outcome === 'dead') {
      metrics.deadLettered(1);
      log.error({ outboxId: row.id, eventId: row.eventId, topic: row.topic, key: row.key, failures: row.failures + 1, err: error }, 'outbox row dead-lettered; the rows behind it continue');
      return;
    }
    log.warn({ outboxId: row.id, eventId: row.eventId, topic: row.topic, key: row.key, failures: row.failures + 1, err: error }, 'outbox row refused; its key waits for the retry');
    if (row.key !== null) round.blocked.add(row.key);
  }

  /** Sends rows (id order) in as few requests as it can, isolating refused rows by halving the batch. */
  async function deliver(round: Round, candidates: OutboxRow[]): Promise<void> {
    const rows = candidates.filter((r) => !isBlocked(round, r));
    if (rows.length === 0) return;
    if (!(await holdLease())) throw new LeaseLost();
    let missing: Set<string>;
    try {
      missing = await publisher.unknownTopics([...new Set(rows.map((r) => r.topic))]);
    } catch (err) {
      await noteOutboxAttempt(em(), rows.map((r) => r.id), errorText(err));
      throw err;
    }
    if (missing.size) {
      // Refused without a request; the rows after them (other keys) go on in this round.
      const sendable: OutboxRow[] = [];
      for (const r of rows) {
        if (isBlocked(round, r)) continue;
        if (missing.has(r.topic)) await rowFailed(round, r, 'refused', `topic ${r.topic} does not exist`);
        else sendable.push(r);
      }
      return deliver(round, sendable);
    }
    try {
      await publisher.send(rows);
    } catch (err) {
      const failure = classifyKafkaError(err);
      if (failure === 'outage') {
        await noteOutboxAttempt(em(), rows.map((r) => r.id), errorText(err));
        throw err;
      }
      if (rows.length === 1) return rowFailed(round, rows[0], failure, errorText(err));
      const half = Math.ceil(rows.length / 2);
      await deliver(round, rows.slice(0, half));
      return deliver(round, rows.slice(half));
    }
    await markOutboxSent(em(), rows.map((r) => r.id));
    metrics.published(rows.length);
    round.sent += rows.length;
  }

  /** One round; `more` when a full batch went out and the next round should follow at once. */
  async function runRound(): Promise<{ sent: number; more: boolean }> {
    if (!(await holdLease())) return { sent: 0, more: false };
    const failing = await readFailingOutbox(em(), batchSize);
    const round: Round = { blocked: new Set(), sent: 0 };
    const now = Date.now();
    // The oldest failing row of each key is retried once its wait is over; it blocks its key meanwhile.
    const failingPerKey = new Map<string, number>();
    const due: OutboxRow[] = [];
    for (const r of failing) {
      if (r.key !== null) {
        failingPerKey.set(r.key, (failingPerKey.get(r.key) ?? 0) + 1);
        if (round.blocked.has(r.key)) continue;
        round.blocked.add(r.key);
      }
      if (!r.retryAt || r.retryAt.getTime() <= now) due.push(r);
    }
    try {
      for (const r of due) {
        if (r.key !== null) round.blocked.delete(r.key);
        await deliver(round, [r]);
        // Another failing row of the same key is behind this one: the key keeps waiting for it.
        if (r.key !== null && (failingPerKey.get(r.key) ?? 0) > 1) round.blocked.add(r.key);
      }
      // With more failing rows than one read holds, the unread ones (higher ids) may block keys we cannot
      // see: only rows older than the last one read are safe to send.
      const below = failing.length === batchSize ? failing[failing.length - 1].id : undefined;
      const fresh = await readPendingOutbox(em(), batchSize, [...round.blocked], below);
      await deliver(round, fresh);
      return { sent: round.sent, more: fresh.length === batchSize };
    } catch (err) {
      if (err instanceof LeaseLost) return { sent: round.sent, more: false };
      throw err;
    }
  }

  const publishOnce = async (): Promise<number> => (await runRound()).sent;

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
        const { more } = await runRound();
        backoff = minBackoff;
        await reportBacklog().catch((err: unknown) => log.warn({ err: errorText(err) }, 'outbox backlog read failed'));
        if (!running) break;
        if (!active) await pause(standbyPollMs);
        else if (!more) await pause(idleMs);
      } catch (err) {
        if (err instanceof PublishError) metrics.publishFailed();
        await reportBacklog().catch(() => undefined);
        log.warn({ err: errorText(err), retryInMs: backoff }, 'outbox publish failed; retrying');
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
      if (active) {
        active = false;
        heldUntil = 0;
        await releaseOutboxLease(em(), holder).catch((err: unknown) => log.warn({ err: errorText(err) }, 'outbox relay: lease release failed; it expires by itself'));
        await reportBacklog(true).catch(() => undefined);
      }
      await publisher.close();
    },
    publishOnce,
    get active() {
      return active;
    },
  };
}
