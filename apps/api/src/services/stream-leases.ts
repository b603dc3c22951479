import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export type StreamLeaseOptions = {
  /** Key prefix of this installation's lease sets, e.g. `tk:<instance>:sse:`. */
  namespace: string;
  maxPerKey: number;
  /** A lease not renewed for this long no longer counts (its process died). */
  leaseMs: number;
};

/** Admitted (with the lease to renew and release), refused (the key is at its cap), or not counted (Redis away). */
export type Admission = { admitted: true; lease: string | null } | { admitted: false };

// Redis's own clock for every score, so API hosts whose clocks differ still agree on what has expired.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// Drops leases that ran out, then takes one if the key is under its cap.
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

// Extends a lease (and puts it back if it had run out while the stream stayed open: it is still open).
const RENEW = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

/**
 * The per-key cap on open event streams, shared by every API process: each open stream holds a lease in
 * a Redis sorted set per key (member: this process and stream, score: when the lease runs out). A
 * process renews its streams' leases while they are open and removes them when they close; the leases
 * of a process that died run out after `leaseMs`. If Redis does not answer, a stream is admitted
 * uncounted (the route's own per-process cap still holds).
 */
export class StreamLeases {
  private readonly process = randomUUID();
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly opts: StreamLeaseOptions,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async acquire(keyRef: string): Promise<Admission> {
    const lease = `${this.process}:${++this.seq}`;
    try {
      const ok = await this.redis.eval(ACQUIRE, 1, this.key(keyRef), String(this.opts.maxPerKey), String(this.opts.leaseMs), lease);
      return ok === 1 ? { admitted: true, lease } : { admitted: false };
    } catch (err) {
      this.onError(err);
      return { admitted: true, lease: null };
    }
  }

  /** Renews the leases of streams still open (call well within `leaseMs`). */
  async renew(held: Array<{ keyRef: string; lease: string }>): Promise<void> {
    if (held.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const h of held) pipeline.eval(RENEW, 1, this.key(h.keyRef), String(this.opts.leaseMs), h.lease);
    try {
      await pipeline.exec();
    } catch (err) {
      this.onError(err);
    }
  }

  async release(keyRef: string, lease: string): Promise<void> {
    try {
      await this.redis.zrem(this.key(keyRef), lease);
    } catch (err) {
      this.onError(err);
    }
  }

  private key(keyRef: string): string {
    return `${this.opts.namespace}${keyRef}`;
  }
}
