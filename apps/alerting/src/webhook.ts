import { createHmac } from 'node:crypto';
import { deliveryKeys, type AlertEvent } from '@timekeeper/contracts';
import type Redis from 'ioredis';

export type WebhookOptions = {
  redis: Redis;
  /** The live stream; the sink delivers its `alert` entries in order. */
  streamKey: string;
  url: string;
  /** Signs each body (X-Timekeeper-Signature); a Slack destination has none (its URL is its secret). */
  secret: string | null;
  /** Where its cursor, dead letters and requeued letters live: `<stream>:<name>-cursor`, `-dead`, `-requeue` (default `webhook`; see deliveryKeys). */
  name?: string;
  /** Which events this destination gets (default: every alert event not recorded in a maintenance window). */
  accepts?: (event: AlertEvent) => boolean;
  /** The body sent for an event (default: the event's JSON as it is on the stream). */
  format?: (event: AlertEvent, raw: string) => string;
  timeoutMs: number;
  minBackoffMs?: number;
  maxBackoffMs: number;
  /** Attempts per event before it goes to the dead letter and the next event's turn comes. */
  maxAttempts: number;
  onDelivered?: (entryId: string) => void;
  onFailed?: (err: string, retryInMs: number) => void;
  /** A stream entry that is not a readable alert event: skipped (never retried, never a crash). */
  onSkipped?: (entryId: string, reason: string) => void;
  /** An event the receiver never accepted: kept in the dead-letter stream, and the sink moves on. */
  onDeadLettered?: (letter: DeadLetter) => void;
  /** Anything else that went wrong in the loop; it carries on after a pause. */
  onError?: (err: unknown) => void;
};

export type DeadLetter = { entryId: string; event: AlertEvent; error: string; attempts: number };

export const SIGNATURE_HEADER = 'x-timekeeper-signature';
const DEAD_LETTER_MAXLEN = 10_000;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, so a replayed body with a new timestamp fails. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The alert event an entry's data holds, or why it is not one. */
export function parseAlertEntry(data: string | undefined): { event: AlertEvent } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(data ?? '');
  } catch {
    return { reason: 'data is not JSON' };
  }
  const e = value as Partial<AlertEvent> | null;
  if (!e || typeof e !== 'object' || typeof e.eventId !== 'string' || !e.alert || typeof e.alert.jobKey !== 'string') {
    return { reason: 'data is not an alert event (eventId and alert.jobKey are required)' };
  }
  return { event: e as AlertEvent };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Recorded in a maintenance window: on the live stream and in Kafka, but nobody is notified. */
export const notSuppressed = (e: AlertEvent): boolean => !e.alert.suppressedBy && e.type !== 'alert.test';

type Outcome = { delivered: true } | { delivered: false; error: string; attempts: number } | 'stopped';

/**
 * POSTs every alert event to a URL, signed, in stream order (receivers dedup on X-Timekeeper-Event-Id).
 * Each event gets up to `maxAttempts` tries with exponential backoff; an answer that retrying cannot
 * change (a redirect, which is never followed, or a 4xx other than 408/429) ends it at once. An event
 * not accepted goes to the dead-letter stream `<stream>:webhook-dead` and the next one's turn comes, so
 * one bad delivery never holds back later alerts. An entry that is not an alert event is skipped.
 * Its position is the last handled stream entry id, kept in Redis, so a new lease holder resumes it.
 */
export class WebhookSink {
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private reader: Redis | null = null;

  constructor(private readonly opts: WebhookOptions) {}

  private get keys() {
    return deliveryKeys(this.opts.streamKey, this.opts.name ?? 'webhook');
  }

  get cursorKey() {
    return this.keys.cursor;
  }

  get deadLetterKey() {
    return this.keys.dead;
  }

  /** Dead letters an operator sent back (the API moves them here); each is deleted once handled again. */
  get requeueKey() {
    return this.keys.requeue;
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.reader = this.opts.redis.duplicate();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
    this.loop = null;
    this.reader = null;
  }

  /** Never rejects: a failure of Redis or of a callback is reported, and the loop goes on after a pause. */
  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let last: string | null = null;
    // Requeued letters are read from the start of their stream each run: a handled one is deleted, so
    // what is left there after a crash is exactly what was not handled yet.
    let lastRequeued = '0-0';
    while (!signal.aborted) {
      try {
        last ??= await this.startingPoint();
        const res = (await this.reader!.xread('COUNT', 100, 'BLOCK', 2_000, 'STREAMS', this.opts.streamKey, this.requeueKey, last, lastRequeued)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        const entriesOf = (key: string) => res?.find(([k]) => k === key)?.[1] ?? [];
        for (const [id, fields] of entriesOf(this.requeueKey)) {
          if (signal.aborted) return;
          if (!(await this.handle(id, fields, signal, true))) return;
          lastRequeued = id;
          await this.opts.redis.xdel(this.requeueKey, id);
        }
        for (const [id, fields] of entriesOf(this.opts.streamKey)) {
          if (signal.aborted) return;
          if (!(await this.handle(id, fields, signal))) return; // stopped mid-delivery: resume from `last`
          last = id;
          await this.opts.redis.set(this.cursorKey, id);
        }
      } catch (err) {
        if (signal.aborted) return;
        this.opts.onError?.(err);
        await sleep(500, signal);
      }
    }
  }

  /** The stored position, or on first start the stream's end (a new receiver does not get history), stored at once. */
  private async startingPoint(): Promise<string> {
    const stored = await this.opts.redis.get(this.cursorKey);
    if (stored) return stored;
    const tail = (await this.opts.redis.xrevrange(this.opts.streamKey, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    const start = tail[0]?.[0] ?? '0-0';
    await this.opts.redis.set(this.cursorKey, start, 'NX');
    return (await this.opts.redis.get(this.cursorKey)) ?? start;
  }

  /** Where the sink stands (null before its first start): tests wait on it instead of sleeping. */
  async position(): Promise<string | null> {
    return this.opts.redis.get(this.cursorKey);
  }

  /**
   * Handles one entry (of the live stream, or a requeued dead letter: delivered whatever `accepts` now
   * says, since an operator asked for it, and dead-lettered again under its live entry id if refused);
   * false only when stopped before it was done.
   */
  private async handle(entry: string, fields: string[], signal: AbortSignal, requeued = false): Promise<boolean> {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
    const id = requeued ? (f.entryId ?? entry) : entry;
    if (!requeued && f.event !== 'alert') return true;
    const parsed = parseAlertEntry(f.data);
    if ('reason' in parsed) {
      this.opts.onSkipped?.(id, parsed.reason);
      return true;
    }
    if (!requeued && !(this.opts.accepts ?? notSuppressed)(parsed.event)) return true;
    const body = this.opts.format ? this.opts.format(parsed.event, f.data) : f.data;
    const outcome = await this.deliver(body, parsed.event.eventId, signal);
    if (outcome === 'stopped') return false;
    if (outcome.delivered) {
      this.opts.onDelivered?.(id);
      return true;
    }
    const letter: DeadLetter = { entryId: id, event: parsed.event, error: outcome.error, attempts: outcome.attempts };
    await this.opts.redis.xadd(this.deadLetterKey, 'MAXLEN', '~', String(DEAD_LETTER_MAXLEN), '*', 'entryId', id, 'data', f.data, 'error', outcome.error, 'attempts', String(outcome.attempts));
    this.opts.onDeadLettered?.(letter);
    return true;
  }

  private async deliver(body: string, eventId: string, signal: AbortSignal): Promise<Outcome> {
    let backoff = this.opts.minBackoffMs ?? 250;
    let error = '';
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (signal.aborted) return 'stopped';
      const timestamp = String(Math.floor(Date.now() / 1000));
      let permanent = false;
      try {
        const res = await fetch(this.opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-timekeeper-event-id': eventId,
            'x-timekeeper-timestamp': timestamp,
            ...(this.opts.secret ? { [SIGNATURE_HEADER]: signBody(this.opts.secret, timestamp, body) } : {}),
          },
          body,
          // A redirect would carry the signed body somewhere else: it is an answer, not a hop.
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return { delivered: true };
        const redirect = res.status >= 300 && res.status < 400;
        error = redirect ? `HTTP ${res.status} redirect (not followed)` : `HTTP ${res.status}`;
        permanent = redirect || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
      } catch (err) {
        if (signal.aborted) return 'stopped';
        error = err instanceof Error ? err.message : String(err);
      }
      if (permanent || attempt === this.opts.maxAttempts) return { delivered: false, error, attempts: attempt };
      this.opts.onFailed?.(error, backoff);
      await sleep(backoff + Math.random() * backoff * 0.2, signal);
      backoff = Math.min(this.opts.maxBackoffMs, backoff * 2);
    }
    return { delivered: false, error, attempts: this.opts.maxAttempts };
  }
}
