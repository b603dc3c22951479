import { jobWithRole } from '../workload/jobs';
import { sleep } from '../wait';
import type { FaultContext } from './context';
import { findHolder, killAndRestart } from './holders';

/** SIGKILL of a random worker (never the frozen one), restarted at once. */
export async function killRandomWorker(ctx: FaultContext): Promise<string> {
  const candidates = ctx.fleet.workers.filter((w) => w.pid && !w.stopped);
  if (!candidates.length) throw new Error('no running worker to kill');
  return killAndRestart(candidates[Math.floor(ctx.random() * candidates.length)]);
}

/**
 * SIGSTOP of the worker holding a job's lock mid-run, for longer than its lock lease and heartbeat
 * timeout, then SIGCONT: by then another worker has taken the slot over, and the frozen one wakes up
 * believing it still holds the lock.
 */
export async function stopLockHolder(ctx: FaultContext, durationMs: number): Promise<string> {
  const job = jobWithRole('lock-holder');
  const holder = await findHolder(ctx, job.key, (p) => p.cursor !== null, 60_000);
  if (!holder) throw new Error(`no worker held the lock of ${job.key} mid-run within 60 s`);
  const { worker, run } = holder;
  worker.pause();
  try {
    await sleep(durationMs);
  } finally {
    worker.resume();
  }
  return `${worker.name} (pid ${worker.pid}) SIGSTOPped ${durationMs / 1000} s holding ${job.key} ${run.slot} (fence ${run.progress.fence}, after chunk ${run.progress.chunk}), then SIGCONT`;
}
