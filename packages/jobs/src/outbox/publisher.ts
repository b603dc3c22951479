import type { Admin, Kafka, Producer } from 'kafkajs';
import type { OutboxRow } from '@timekeeper/db';

/**
 * Why a publish failed, which decides what the relay does with the rows:
 * - `outage`: Kafka did not answer (unreachable, hanging, timed out). Nobody's fault; the round stops and
 *   the relay backs off. Never counts towards the dead letter, however long it lasts.
 * - `transient`: the broker answered with a retriable error (leadership moving, not enough replicas).
 *   The rows wait for a later round; this does not count towards the dead letter either.
 * - `refused`: the broker (or the topic check) refused the rows for good (unknown topic, message too
 *   large, invalid record). Sent alone, the row counts one failure.
 */
export type FailureClass = 'outage' | 'transient' | 'refused';

export class PublishError extends Error {
  constructor(
    readonly failure: FailureClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
  }
}

const OUTAGE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTimeout',
]);

type KafkaErrorLike = { name?: string; retriable?: boolean; type?: string; cause?: unknown; message?: string };

/** Classifies a kafkajs error by walking its cause chain (kafkajs wraps the broker's answer in retry errors). */
export function classifyKafkaError(err: unknown): FailureClass {
  if (err instanceof PublishError) return err.failure;
  let protocol: KafkaErrorLike | null = null;
  for (let e = err as KafkaErrorLike | undefined, depth = 0; e && depth < 8; e = e.cause as KafkaErrorLike | undefined, depth++) {
    if (e.name && OUTAGE_ERRORS.has(e.name)) return 'outage';
    if (e.name === 'KafkaJSProtocolError' && !protocol) protocol = e;
  }
  if (protocol) return protocol.retriable ? 'transient' : 'refused';
  // Anything else came from this row's content or a client-side check (bad topic name, serialisation).
  return 'refused';
}

// A few quick tries, whatever the client's own retry settings: an unreachable broker is an outage to back
// off from (the relay's loop), and a retriable broker error surfaces so one troubled partition does not
// stall the rest.
const CLIENT_RETRY = { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export type PublisherOptions = {
  kafka: Kafka;
  /** Longest wait for any call to Kafka (connect, topic list, send); past it the call counts as an outage. */
  sendTimeoutMs: number;
  /** How long the list of existing topics is trusted. */
  topicsTtlMs?: number;
};

/**
 * The Kafka side of the relay. Non-idempotent producer with one request in flight: a retry can repeat a
 * batch (consumers dedup by `event-id`) but never reorder it. kafkajs's idempotent mode is not used: it
 * rolls sequence numbers back after a failed or timed-out request, and a batch that did land would then
 * make the broker drop the next one as a duplicate.
 */
export class KafkaPublisher {
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private topics: Set<string> | null = null;
  private topicsAt = 0;
  private readonly topicsTtlMs: number;

  constructor(private readonly opts: PublisherOptions) {
    this.topicsTtlMs = opts.topicsTtlMs ?? 30_000;
  }

  /** Topics of `names` that do not exist. A topic missing from a cached list is looked up again first. */
  async unknownTopics(names: string[]): Promise<Set<string>> {
    const stale = !this.topics || Date.now() - this.topicsAt > this.topicsTtlMs;
    if (stale || names.some((t) => !this.topics!.has(t))) await this.refreshTopics();
    return new Set(names.filter((t) => !this.topics!.has(t)));
  }

  /** Sends rows in order (grouped per topic, order kept within each); resolves once Kafka acknowledged all. */
  async send(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    const byTopic = new Map<string, OutboxRow[]>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    let producer: Producer;
    try {
      producer = await this.deadline(this.connectedProducer(), 'connect');
    } catch (err) {
      await this.reset();
      throw new PublishError('outage', message(err), { cause: err });
    }
    try {
      await this.deadline(
        producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((r) => ({
              key: r.key,
              value: JSON.stringify({ eventId: r.eventId, ...r.payload }),
              headers: { ...r.headers, 'event-id': r.eventId },
            })),
          })),
        }),
        'send',
      );
    } catch (err) {
      const failure = classifyKafkaError(err);
      // After an outage the connection state is unknown: start over with a fresh producer and topic list.
      if (failure !== 'refused') await this.reset();
      throw err instanceof PublishError ? err : new PublishError(failure, message(err), { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async refreshTopics(): Promise<void> {
    try {
      if (!this.admin) {
        const admin = this.opts.kafka.admin({ retry: CLIENT_RETRY });
        this.admin = admin;
        await this.deadline(admin.connect(), 'connect');
      }
      const list = await this.deadline(this.admin.listTopics(), 'list topics');
      this.topics = new Set(list);
      this.topicsAt = Date.now();
    } catch (err) {
      await this.reset();
      // Listing topics asks nothing of any row: failing to, Kafka is not answering.
      throw new PublishError('outage', message(err), { cause: err });
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const p = this.opts.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: false,
      maxInFlightRequests: 1,
      retry: CLIENT_RETRY,
    });
    this.producer = p;
    await p.connect();
    return p;
  }

  /** Drops the producer and admin without waiting on them: a hanging broker must not hang the relay. */
  private async reset(): Promise<void> {
    const { producer, admin } = this;
    this.producer = null;
    this.admin = null;
    this.topics = null;
    await Promise.race([
      Promise.all([producer?.disconnect().catch(() => undefined), admin?.disconnect().catch(() => undefined)]),
      new Promise((r) => setTimeout(r, 1_000).unref()),
    ]);
  }

  private async deadline<T>(work: Promise<T>, what: string): Promise<T> {
    // The loser of the race must not surface as an unhandled rejection later.
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishError('outage', `Kafka ${what} took longer than ${this.opts.sendTimeoutMs} ms`)), this.opts.sendTimeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
