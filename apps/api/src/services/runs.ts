import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, scheduleIdFor, type RetryRunResult, type RunInput, type RunView } from '@timekeeper/contracts';
import { listSlots, readStateSlot, type JobSlot, SLOT_STATUSES, type MikroORM, type SlotStatus } from '@timekeeper/db';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { supersededAmong, supersededConflict } from './slot-order';
import { slotPastRetention } from './run-retention';
import { slotOf, type UnrecordedRuns } from './unrecorded-runs';

export const RUN_STATUSES = SLOT_STATUSES;
export type RunStatus = SlotStatus;
/**
 * `job`: one key or several; `status`: one or several. Without `to` the listing ends now: the planned
 * slots ahead are listed when asked for (a `to` in the future), so a plain listing is the history.
 */
export type RunQuery = { job?: string | string[]; status?: RunStatus | RunStatus[]; from?: Date; to?: Date; limit?: number; cursor?: string; order?: 'asc' | 'desc' };

const FROM_TEMPORAL: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'continued_as_new',
};

/**
 * The one place runs are read from (Temporal visibility for now; the slot ledger takes over with the
 * batch-jobs issue) and the run actions: cancel, and retry as a new execution of the same slot and input.
 */
export class Runs {
  constructor(
    private readonly orm: MikroORM,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly unrecorded: UnrecordedRuns,
  ) {}

  /**
   * Runs from the slot ledger, newest slot first. On the first page, runs Temporal has started but no
   * activity has recorded yet (waiting for a worker) are added from visibility, so nothing hides.
   */
  async list(q: RunQuery): Promise<{ items: RunView[]; nextCursor: string | null }> {
    let page;
    try {
      page = await listSlots(this.orm.em.fork(), {
        jobKey: q.job,
        status: q.status,
        from: q.from,
        to: q.to ?? new Date(),
        limit: q.limit ?? 50,
        cursor: q.cursor,
        order: q.order,
      });
    } catch (err) {
      if (err instanceof RangeError) throw badRequest('cursor is not one this API issued', [{ field: 'cursor', message: 'invalid cursor' }]);
      throw err;
    }
    const items = page.items.map(fromSlot);
    const statuses = q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status];
    if (!q.cursor && (!statuses || statuses.includes('running') || statuses.includes('planned'))) {
      const recorded = new Set(items.map((r) => r.workflowId));
      for (const run of await this.unrecordedRunning(q)) if (!recorded.has(run.workflowId)) items.unshift(run);
    }
    return { items, nextCursor: page.nextCursor };
  }

  /** Waiting runs (see UnrecordedRuns) of the listing's jobs and window, at most 50. */
  private async unrecordedRunning(q: RunQuery): Promise<RunView[]> {
    const jobs = q.job === undefined ? null : new Set(Array.isArray(q.job) ? q.job : [q.job]);
    const from = q.from?.getTime() ?? -Infinity;
    const to = (q.to ?? new Date()).getTime();
    return (await this.unrecorded.all())
      .filter((r) => (!jobs || jobs.has(r.jobKey)) && Date.parse(r.slot) >= from && Date.parse(r.slot) < to)
      .slice(0, 50);
  }

  async cancel(workflowId: string): Promise<void> {
    const run = await this.describe(workflowId);
    if (run.status.name !== 'RUNNING') throw conflict('run_not_running', `Run ${workflowId} is ${FROM_TEMPORAL[run.status.name]}, not running`);
    await this.temporal.workflow.getHandle(workflowId).cancel();
  }

  /**
   * Starts a new execution for the same slot and input; only for a closed run that did not succeed.
   * A latest-state slot older than the job's newest committed slot is refused with 409
   * slot_superseded (naming that slot) unless the caller confirms: it could only end as superseded.
   */
  async retry(workflowId: string, opts: { confirmSuperseded?: boolean } = {}): Promise<RetryRunResult> {
    const run = await this.describe(workflowId);
    const status = FROM_TEMPORAL[run.status.name];
    if (status === 'running' || status === 'completed') {
      throw conflict('run_not_retryable', `Run ${workflowId} is ${status}; only a failed, timed-out, cancelled or terminated run can be retried`);
    }
    const history = await this.temporal.workflow.getHandle(workflowId, run.runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    if (!payload) throw new ApiError(409, 'run_not_retryable', `Run ${workflowId} has no input to repeat`);
    const input = this.temporal.options.loadedDataConverter.payloadConverter.fromPayload<RunInput>(payload);
    const slot = input.slot ?? slotOf(run) ?? run.startTime.toISOString();
    const superseded = supersededAmong(input.kind, [new Date(slot)], await readStateSlot(this.orm.em.fork(), input.jobKey));
    if (superseded && !opts.confirmSuperseded) throw supersededConflict(input.jobKey, input.kind, superseded);
    const gone = await slotPastRetention(this.orm.em.fork(), input.jobKey, new Date(slot));
    if (gone) {
      throw conflict(
        'slot_past_retention',
        `Slot ${slot} of job ${input.jobKey} is past the run retention (${gone.days} days, runRetentionDays of data-cleanup job ${gone.cleanupJob}): ` +
          'its ledger row and checkpoints were deleted, so a retry could apply its committed chunks again',
      );
    }
    const newId = `${scheduleIdFor(input.jobKey)}-${slot}-retry-${Date.now()}`;
    await this.temporal.workflow.start(RUN_WORKFLOW_TYPE, {
      workflowId: newId,
      taskQueue: run.taskQueue ?? this.taskQueue,
      args: [{ ...input, slot }],
      workflowExecutionTimeout: started?.workflowExecutionTimeout?.seconds ? Number(started.workflowExecutionTimeout.seconds) * 1000 : undefined,
      searchAttributes: { TimekeeperJobKey: [input.jobKey], TimekeeperSlot: [new Date(slot)] },
    });
    return { workflowId: newId, jobKey: input.jobKey, slot, supersededBy: superseded?.newerSlot ?? null };
  }

  private async describe(workflowId: string) {
    if (!workflowId.startsWith('tk-')) throw badRequest('not a Timekeeper run id', [{ field: 'workflowId', message: 'must start with tk-' }]);
    try {
      return await this.temporal.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`Run ${workflowId}`);
      throw err;
    }
  }
}

function fromSlot(s: Readonly<JobSlot>): RunView {
  return {
    jobKey: s.jobKey,
    slot: s.nominalTime.toISOString(),
    status: s.status,
    workflowId: s.workflowId,
    runId: s.runId,
    attempt: s.attempt,
    runs: s.runs,
    startTime: s.startedAt?.toISOString() ?? null,
    closeTime: s.finishedAt?.toISOString() ?? null,
    progress: s.progress,
    result: s.result,
    errorType: s.errorType,
    errorMessage: s.errorMessage,
    fence: s.fence,
    source: 'ledger',
  };
}
