import type Redis from 'ioredis';

export type FailedAuthLimiterOptions = {
  /** Failures per bucket in one window before they are answered 429 instead of 401. */
  maxFailures: number;
  windowMs: number;
  /** Key prefix of this installation's counters, e.g. `tk:<instance>:authfail:`. */
  namespace: string;
};

export type FailureVerdict = { limited: boolean; retryAfterS: number };

// One round trip: count the failure, start the window with the first one, say how long it still runs.
// (A counter left without an expiry, e.g. by an older writer, gets one here.)
const RECORD = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

/**
 * Counts failed authentications per (client address, key prefix) in Redis, so every API process
 * shares one count. It only ever turns a failure's 401 into a 429: the auth hook checks the presented
 * key first, so a valid key is never refused because of anyone's failures (a stranger's guesses cannot
 * lock a user out). Guessing itself is hopeless (a stored key has 256 random bits); this keeps the
 * noise down and visible. The window is fixed: it starts at a bucket's first failure and lasts
 * `windowMs`. If Redis does not answer, failures are plain 401s (nothing is refused for it).
 */
export class FailedAuthLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly opts: FailedAuthLimiterOptions,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Records a failure; says whether the bucket is now over its limit and when it frees up. */
  async recordFailure(address: string, prefix: string): Promise<FailureVerdict> {
    try {
      const [count, ttlMs] = (await this.redis.eval(RECORD, 1, `${this.opts.namespace}${address}|${prefix}`, String(this.opts.windowMs))) as [number, number];
      return { limited: count > this.opts.maxFailures, retryAfterS: Math.max(1, Math.ceil(ttlMs / 1000)) };
    } catch (err) {
      this.onError(err);
      return { limited: false, retryAfterS: 0 };
    }
  }
}
