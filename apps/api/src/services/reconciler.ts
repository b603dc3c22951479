import type { Logger } from '@timekeeper/runtime';
import type { ScheduleSyncer } from './schedule-syncer';

/**
 * Runs the syncer on timers in the API process: pending rows often, a full drift pass less often (and
 * once at start). Timers are chained (setTimeout after each pass), so passes never overlap.
 */
export class Reconciler {
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly syncer: ScheduleSyncer,
    private readonly logger: Logger,
    private readonly opts: { pendingIntervalMs: number; driftIntervalMs: number },
  ) {}

  start(): void {
    this.loop('pending', () => this.syncer.reconcilePending(), this.opts.pendingIntervalMs, 0);
    this.loop('drift', () => this.syncer.repairDrift(), this.opts.driftIntervalMs, 0);
  }

  private loop(name: string, pass: () => Promise<unknown>, intervalMs: number, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      try {
        await pass();
      } catch (err) {
        this.logger.warn({ pass: name, err: err instanceof Error ? err.message : String(err) }, 'reconcile pass failed');
      }
      this.timers = this.timers.filter((t) => t !== timer);
      this.loop(name, pass, intervalMs, intervalMs);
    }, delayMs);
    timer.unref();
    this.timers.push(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }
}
