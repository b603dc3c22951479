/**
 * Counts failed authentications per (client address, key prefix) in a sliding window. It only ever
 * turns a failure's 401 into a 429: the auth hook checks the presented key first, so a valid key is
 * never refused because of anyone's failures (a stranger's guesses cannot lock a user out). Guessing
 * itself is hopeless (a stored key has 256 random bits); this keeps the noise down and visible.
 * In-process: with several API replicas each keeps its own count.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: { maxFailures: number; windowMs: number; maxTracked?: number }) {}

  /** Records a failure; says whether the bucket is now over its limit and when it frees up. */
  recordFailure(address: string, prefix: string, now = Date.now()): { limited: boolean; retryAfterS: number } {
    const bucket = `${address}|${prefix}`;
    const recent = this.recent(bucket, now);
    recent.push(now);
    // Re-inserting keeps the map in least-recently-failed order, so the eviction below drops the stalest.
    this.failures.delete(bucket);
    this.failures.set(bucket, recent);
    if (this.failures.size > (this.opts.maxTracked ?? 10_000)) this.failures.delete(this.failures.keys().next().value as string);
    const limited = recent.length > this.opts.maxFailures;
    // A next failure is a plain 401 again once enough of these have left the window.
    const freesAt = (recent[Math.max(0, recent.length - this.opts.maxFailures)] ?? now) + this.opts.windowMs;
    const retryAfterS = Math.max(1, Math.ceil((freesAt - now) / 1000));
    return { limited, retryAfterS };
  }

  private recent(bucket: string, now: number): number[] {
    return (this.failures.get(bucket) ?? []).filter((t) => now - t < this.opts.windowMs);
  }
}
