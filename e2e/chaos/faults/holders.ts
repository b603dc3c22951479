import type { RunView } from '@timekeeper/contracts';
import type { AppProcess } from '../stack/process';
import { activityWorkerPid } from '../stack/temporal';
import { waitFor } from '../wait';
import type { FaultContext } from './context';

export type Progress = { chunk: number; cursor: string | null; fence: number; attempt: number };
export type Holder = { run: Omit<RunView, 'progress'> & { progress: Progress; workflowId: string }; worker: AppProcess };

const progressOf = (run: RunView): Progress | null => (run.progress as Progress | null) ?? null;

/**
 * A running slot of the job whose current attempt holds the lock and has committed a chunk (its
 * progress carries the fence the slot was last locked with), and the worker process running it.
 */
export async function findHolder(ctx: FaultContext, jobKey: string, accept: (p: Progress) => boolean, timeoutMs: number): Promise<Holder | null> {
  return waitFor(async () => {
    const res = await ctx.api.call<{ items: RunView[] }>('GET', `/v1/jobs/${jobKey}/runs?status=running&limit=10`, undefined, 5_000);
    for (const run of res.body.items) {
      const p = progressOf(run);
      if (run.source !== 'ledger' || !run.workflowId || !p || p.fence !== run.fence || !accept(p)) continue;
      const pid = await activityWorkerPid(ctx.temporal, run.workflowId);
      const worker = ctx.fleet.workers.find((w) => w.pid === pid && !w.stopped);
      if (worker) return { run: { ...run, progress: p, workflowId: run.workflowId }, worker };
    }
    return null;
  }, timeoutMs, 150);
}

/** SIGKILLs a worker (waiting until it is gone) and starts it again at once. */
export async function killAndRestart(worker: AppProcess): Promise<string> {
  const pid = worker.pid;
  await worker.kill('SIGKILL');
  worker.start();
  return `${worker.name} (pid ${pid}) SIGKILLed, started again`;
}
