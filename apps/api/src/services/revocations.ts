import Redis from 'ioredis';

/** A key revoked or a session ended: open event streams standing for it close. */
export type Revocation = { keyId?: number; sessionId?: number };

/**
 * Revocations between API processes over Redis pub/sub (channel per installation), so a logout or a
 * revoked key ends event streams held by any replica at once. Best effort: a message lost while
 * Redis is away is caught by the streams' periodic re-check (SSE_RECHECK_MS).
 */
export class RevocationBus {
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<(r: Revocation) => void>();

  constructor(
    private readonly redisUrl: string,
    private readonly channel: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async publish(revocation: Revocation): Promise<void> {
    if (!this.publisher) {
      this.publisher = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
      this.publisher.on('error', this.onError);
    }
    try {
      await this.publisher.publish(this.channel, JSON.stringify(revocation));
    } catch (err) {
      this.onError(err);
    }
    // Listeners in this process act on it even when Redis does not answer (closing twice is harmless).
    this.emit(revocation);
  }

  /** Starts listening on the first subscriber; returns the unsubscribe. */
  subscribe(listener: (r: Revocation) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      this.subscriber = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
      this.subscriber.on('error', this.onError);
      this.subscriber.on('message', (_channel: string, message: string) => {
        try {
          this.emit(JSON.parse(message) as Revocation);
        } catch (err) {
          this.onError(err);
        }
      });
      this.subscriber.subscribe(this.channel).catch(this.onError);
    }
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
    this.subscriber = null;
    this.publisher = null;
  }

  private emit(r: Revocation): void {
    for (const l of this.listeners) l(r);
  }
}
