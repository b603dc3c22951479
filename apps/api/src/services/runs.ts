import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, scheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { ApiError, badRequest, conflict, notFound } from '../errors';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out', 'continued_as_new'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunQuery = { job?: string; status?: RunStatus; from?: Date; to?: Date; limit?: number; cursor?: string };

export type RunView = {
  jobKey: string | null;
  workflowId: string;
  runId: string;
  status: RunStatus;
  slot: string | null;
  startTime: string;
  closeTime: string | null;
  attempt: number;
};

const TO_TEMPORAL: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
};
const FROM_TEMPORAL: Record<string, RunStatus> = {
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
    private readonly temporal: Client,
    private readonly taskQueue: string,
  ) {}

  async list(q: RunQuery): Promise<{ items: RunView[]; nextCursor: string | null }> {
    const clauses = [`WorkflowType = '${RUN_WORKFLOW_TYPE}'`];
    // Values are validated by the route schemas (slug, enum, date-time); quotes cannot reach the query.
    if (q.job) clauses.push(`TimekeeperJobKey = '${q.job}'`);
    if (q.status) clauses.push(`ExecutionStatus = '${TO_TEMPORAL[q.status]}'`);
    if (q.from) clauses.push(`StartTime >= '${q.from.toISOString()}'`);
    if (q.to) clauses.push(`StartTime < '${q.to.toISOString()}'`);
    if (q.cursor) {
      const before = new Date(Buffer.from(q.cursor, 'base64url').toString('utf8'));
      if (Number.isNaN(before.getTime())) throw badRequest('cursor is not one this API issued', [{ field: 'cursor', message: 'invalid cursor' }]);
      clauses.push(`StartTime < '${before.toISOString()}'`);
    }
    const limit = Math.min(q.limit ?? 50, 200);
    const items: RunView[] = [];
    for await (const run of this.temporal.workflow.list({ query: `${clauses.join(' AND ')} ORDER BY StartTime DESC`, pageSize: limit })) {
      items.push(toView(run));
      if (items.length === limit + 1) break;
    }
    const page = items.slice(0, limit);
    const nextCursor = items.length > limit ? Buffer.from(page[page.length - 1].startTime).toString('base64url') : null;
    return { items: page, nextCursor };
  }

  async cancel(workflowId: string): Promise<void> {
    const run = await this.describe(workflowId);
    if (run.status.name !== 'RUNNING') throw conflict('run_not_running', `Run ${workflowId} is ${FROM_TEMPORAL[run.status.name]}, not running`);
    await this.temporal.workflow.getHandle(workflowId).cancel();
  }

  /** Starts a new execution for the same slot and input; only for a closed run that did not succeed. */
  async retry(workflowId: string): Promise<{ workflowId: string; jobKey: string; slot: string }> {
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
    const newId = `${scheduleIdFor(input.jobKey)}-${slot}-retry-${Date.now()}`;
    await this.temporal.workflow.start(RUN_WORKFLOW_TYPE, {
      workflowId: newId,
      taskQueue: run.taskQueue ?? this.taskQueue,
      args: [{ ...input, slot }],
      workflowExecutionTimeout: started?.workflowExecutionTimeout?.seconds ? Number(started.workflowExecutionTimeout.seconds) * 1000 : undefined,
      searchAttributes: { TimekeeperJobKey: [input.jobKey], TimekeeperSlot: [new Date(slot)] },
    });
    return { workflowId: newId, jobKey: input.jobKey, slot };
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

function slotOf(run: Pick<WorkflowExecutionInfo, 'searchAttributes'>): string | null {
  const sa = run.searchAttributes as Record<string, unknown[] | undefined>;
  const scheduled = sa.TemporalScheduledStartTime?.[0] ?? sa.TimekeeperSlot?.[0];
  return scheduled instanceof Date ? scheduled.toISOString() : typeof scheduled === 'string' ? scheduled : null;
}

function toView(run: WorkflowExecutionInfo): RunView {
  const sa = run.searchAttributes as Record<string, unknown[] | undefined>;
  return {
    jobKey: (sa.TimekeeperJobKey?.[0] as string | undefined) ?? null,
    workflowId: run.workflowId,
    runId: run.runId,
    status: FROM_TEMPORAL[run.status.name] ?? 'running',
    slot: slotOf(run),
    startTime: run.startTime.toISOString(),
    closeTime: run.closeTime?.toISOString() ?? null,
    attempt: 1,
  };
}
