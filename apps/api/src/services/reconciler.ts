import { PeriodicTask, type Logger } from '@timekeeper/runtime';
import type { ScheduleSyncer } from './schedule-syncer';

/**
 * Runs the syncer on timers in the API process: pending rows often, a full drift pass less often (and
 * once at start). Each pass waits for the previous one to end, so passes never overlap.
 */
export class Reconciler {
  private readonly tasks: PeriodicTask[];

  constructor(syncer: ScheduleSyncer, logger: Logger, opts: { pendingIntervalMs: number; driftIntervalMs: number }) {
    const onError = (pass: string) => (err: unknown) =>
      logger.warn({ pass, err: err instanceof Error ? err.message : String(err) }, 'reconcile pass failed');
    this.tasks = [
      new PeriodicTask(opts.pendingIntervalMs, () => syncer.reconcilePending(), onError('pending')),
      new PeriodicTask(opts.driftIntervalMs, () => syncer.repairDrift(), onError('drift')),
    ];
  }

  start(): void {
    for (const t of this.tasks) t.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.stop()));
  }
}
