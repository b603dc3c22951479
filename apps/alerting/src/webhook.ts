import { createHmac } from 'node:crypto';
import type Redis from 'ioredis';

export type WebhookOptions = {
  redis: Redis;
  /** The live stream; the sink delivers its `alert` entries in order. */
  streamKey: string;
  url: string;
  secret: string;
  timeoutMs: number;
  minBackoffMs?: number;
  maxBackoffMs: number;
  onDelivered?: (entryId: string) => void;
  onFailed?: (err: string, retryInMs: number) => void;
};

export const SIGNATURE_HEADER = 'x-timekeeper-signature';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, so a replayed body with a new timestamp fails. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/**
 * POSTs every alert event to a URL, signed, in stream order, retrying each with exponential backoff
 * until it is accepted (2xx): nothing is skipped, at-least-once (receivers dedup on X-Timekeeper-Event-Id).
 * Its position is the last delivered stream entry id, kept in Redis, so a new lease holder resumes it.
 */
export class WebhookSink {
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private reader: Redis | null = null;

  constructor(private readonly opts: WebhookOptions) {}

  private get cursorKey() {
    return `${this.opts.streamKey}:webhook-cursor`;
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

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let last = (await this.opts.redis.get(this.cursorKey)) ?? '$';
    if (last === '$') {
      // First start: begin at the stream's end rather than replaying history to a new receiver.
      const tail = (await this.opts.redis.xrevrange(this.opts.streamKey, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
      last = tail[0]?.[0] ?? '0-0';
    }
    while (!signal.aborted) {
      let batch: Array<[string, string[]]> = [];
      try {
        const res = (await this.reader!.xread('COUNT', 100, 'BLOCK', 2_000, 'STREAMS', this.opts.streamKey, last)) as Array<[string, Array<[string, string[]]>]> | null;
        batch = res?.[0]?.[1] ?? [];
      } catch {
        if (!signal.aborted) await sleep(500, signal);
        continue;
      }
      for (const [id, fields] of batch) {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
        if (f.event === 'alert') {
          const ok = await this.deliver(f.data, signal);
          if (!ok) return; // stopped
        }
        last = id;
        await this.opts.redis.set(this.cursorKey, id);
        this.opts.onDelivered?.(id);
      }
    }
  }

  /** Retries until accepted; false only when stopped. */
  private async deliver(body: string, signal: AbortSignal): Promise<boolean> {
    let backoff = this.opts.minBackoffMs ?? 250;
    const eventId = (JSON.parse(body) as { eventId?: string }).eventId ?? '';
    while (!signal.aborted) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const res = await fetch(this.opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-timekeeper-event-id': eventId,
            'x-timekeeper-timestamp': timestamp,
            [SIGNATURE_HEADER]: signBody(this.opts.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        this.opts.onFailed?.(`HTTP ${res.status}`, backoff);
      } catch (err) {
        if (signal.aborted) return false;
        this.opts.onFailed?.(err instanceof Error ? err.message : String(err), backoff);
      }
      await sleep(backoff + Math.random() * backoff * 0.2, signal);
      backoff = Math.min(this.opts.maxBackoffMs, backoff * 2);
    }
    return false;
  }
}
