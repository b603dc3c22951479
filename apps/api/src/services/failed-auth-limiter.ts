/**
 * Counts failed authentications per client address in a sliding window, so key guessing is slow.
 * In-process: with several API replicas each keeps its own count (a shared Redis counter would be the next step).
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: { maxFailures: number; windowMs: number }) {}

  isBlocked(client: string, now = Date.now()): boolean {
    return this.recent(client, now).length >= this.opts.maxFailures;
  }

  recordFailure(client: string, now = Date.now()): void {
    const recent = this.recent(client, now);
    recent.push(now);
    this.failures.set(client, recent);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((t) => now - t < this.opts.windowMs);
  }
}
