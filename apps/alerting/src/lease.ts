import type Redis from 'ioredis';

// Extends the lease only if we still hold it: a holder that stalled past its TTL and lost the key to
// another instance must not extend that instance's lease.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export type LeaseOptions = {
  redis: Redis;
  key: string;
  /** This instance's token (unique per process). */
  holder: string;
  ttlMs: number;
  renewMs: number;
  onAcquired: () => void | Promise<void>;
  onLost: () => void | Promise<void>;
  onError?: (err: unknown) => void;
};

/**
 * Leader election with one Redis key: SET NX PX to take it, a Lua check-and-extend to keep it. A
 * holder that cannot renew (Redis unreachable, or the key is someone else's) steps down at once; we
 * also step down locally once the TTL has passed since the last successful renewal, so a holder cut
 * off from Redis stops working before a standby can take the key over.
 */
export class Lease {
  private held = false;
  private lastRenewed = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LeaseOptions) {}

  get isHeld(): boolean {
    return this.held && Date.now() - this.lastRenewed < this.opts.ttlMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops renewing; `release` deletes the key so a standby takes over at once (a graceful shutdown). */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tick;
    if (this.held) {
      this.held = false;
      if (release) await this.opts.redis.eval(RELEASE, 1, this.opts.key, this.opts.holder).catch(() => undefined);
      await this.opts.onLost();
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = this.round().finally(() => this.schedule(this.opts.renewMs));
    }, ms);
  }

  private async round(): Promise<void> {
    const { redis, key, holder, ttlMs } = this.opts;
    try {
      if (this.held) {
        const ok = (await redis.eval(RENEW, 1, key, holder, String(ttlMs))) as number;
        if (ok === 1) {
          this.lastRenewed = Date.now();
          return;
        }
        await this.lose();
        return;
      }
      const started = Date.now();
      const res = await redis.set(key, holder, 'PX', ttlMs, 'NX');
      if (res === 'OK' && !this.stopped) {
        this.held = true;
        this.lastRenewed = started;
        await this.opts.onAcquired();
      }
    } catch (err) {
      this.opts.onError?.(err);
      if (this.held && Date.now() - this.lastRenewed >= ttlMs) await this.lose();
    }
  }

  private async lose(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.opts.onLost();
  }
}
