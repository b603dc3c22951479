import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, type RunView } from '@timekeeper/contracts';
import type { MikroORM } from '@timekeeper/db';

/** At most this many waiting runs are looked at per refresh (more would mean no worker at all). */
const MAX_RUNS = 200;
/** How stale (in TTLs) an answer may be served while its refresh is in flight. */
const STALE_TTLS = 5;

export function slotOf(run: Pick<WorkflowExecutionInfo, 'searchAttributes'>): string | null {
  const sa = run.searchAttributes as Record<string, unknown[] | undefined>;
  const scheduled = sa.TemporalScheduledStartTime?.[0] ?? sa.TimekeeperSlot?.[0];
  return scheduled instanceof Date ? scheduled.toISOString() : typeof scheduled === 'string' ? scheduled : null;
}

/**
 * Runs Temporal has started on this installation's task queue that no activity has recorded in the
 * ledger yet (waiting for a worker), shown as planned so nothing hides. One visibility query and one
 * ledger query for every job at once, shared by every listing for `ttlMs` (one refresh in flight at
 * a time): a visibility query costs far more than a ledger page (a second or more on a busy dev
 * server), and the run listing and the timeline are the API's busiest reads. Once the answer is
 * older than `ttlMs` it is refreshed in the background and listings keep the last answer meanwhile
 * (up to `staleTtls` times `ttlMs` old): when every listing waited for the refresh, each expiry put a
 * visibility query's time on the listings of that moment (the timeline's p99 under load).
 */
export class UnrecordedRuns {
  private cached: { at: number; runs: RunView[] } | null = null;
  private inflight: Promise<RunView[]> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly ttlMs: number,
    private readonly staleTtls = STALE_TTLS,
  ) {}

  async all(): Promise<RunView[]> {
    const age = this.cached ? Date.now() - this.cached.at : Infinity;
    if (age < this.ttlMs) return this.cached!.runs;
    const refresh = this.refresh();
    if (this.cached && age < this.staleTtls * this.ttlMs) {
      // Failures show on a listing that has to wait; here the next listing tries again.
      refresh.catch(() => undefined);
      return this.cached.runs;
    }
    return refresh;
  }

  private refresh(): Promise<RunView[]> {
    this.inflight ??= this.load().then(
      (runs) => {
        this.cached = { at: Date.now(), runs };
        this.inflight = null;
        return runs;
      },
      (err: unknown) => {
        this.inflight = null;
        throw err;
      },
    );
    return this.inflight;
  }

  private async load(): Promise<RunView[]> {
    // The task queue is this API's own configuration, not a request's; quotes are escaped all the same.
    const queue = this.taskQueue.replace(/'/g, "\\'");
    const query = `WorkflowType = '${RUN_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${queue}'`;
    const views: RunView[] = [];
    for await (const run of this.temporal.workflow.list({ query, pageSize: 100 })) {
      const sa = run.searchAttributes as Record<string, unknown[] | undefined>;
      const jobKey = sa.TimekeeperJobKey?.[0] as string | undefined;
      if (!jobKey) continue;
      views.push({
        jobKey, slot: slotOf(run) ?? run.startTime.toISOString(), status: 'planned', workflowId: run.workflowId, runId: run.runId, attempt: 0, runs: 0,
        startTime: run.startTime.toISOString(), closeTime: null, progress: null, result: null,
        errorType: null, errorMessage: null, fence: null, source: 'temporal',
      });
      if (views.length >= MAX_RUNS) break;
    }
    if (views.length === 0) return views;
    // Which of them an activity has recorded already: one lookup by the (job_key, nominal_time) key.
    const recorded = await this.orm.em.getConnection().execute<Array<{ job_key: string; nominal_time: Date }>>(
      `select job_key, nominal_time from job_slots where (job_key, nominal_time) in (${views.map(() => '(?, ?)').join(', ')})`,
      views.flatMap((v) => [v.jobKey, new Date(v.slot)]),
    );
    const seen = new Set(recorded.map((r) => `${r.job_key}|${new Date(r.nominal_time).toISOString()}`));
    return views.filter((v) => !seen.has(`${v.jobKey}|${new Date(v.slot).toISOString()}`));
  }
}
