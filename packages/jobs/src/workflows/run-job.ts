import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ActivityCancellationType,
  isCancellation,
  proxyActivities,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { JobKind, RunInput } from '@timekeeper/contracts';
import type { Activities } from '../activities';
import type { JobResult } from '../runner/types';
import { ACTIVITY_FOR_KIND, resolveSlot, type SlotSource } from './slot';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const SLOT_ATTRIBUTE = defineSearchAttributeKey('TimekeeperSlot', SearchAttributeType.DATETIME);

export type RunSummary = {
  jobKey: string;
  kind: string;
  slot: string;
  slotSource: SlotSource;
  status: 'succeeded';
  duplicate: boolean;
  result: JobResult | null;
};

const ledger = proxyActivities<Pick<Activities, 'recordSlotStarted' | 'recordSlotVerdict'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 20 },
});

function scheduledStartTime(): Date | undefined {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(SCHEDULED_START);
  if (typed) return new Date(typed);
  const legacy = info.searchAttributes?.TemporalScheduledStartTime?.[0];
  return legacy ? new Date(legacy as string | Date) : undefined;
}

/** Maps an activity failure to the slot's verdict and error columns. */
function verdictOf(err: unknown): { status: 'failed' | 'timed_out' | 'cancelled'; errorType: string; errorMessage: string } {
  if (isCancellation(err)) return { status: 'cancelled', errorType: 'Cancelled', errorMessage: 'run was cancelled' };
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) {
    return { status: 'timed_out', errorType: `Timeout:${cause.timeoutType ?? 'unknown'}`, errorMessage: cause.message };
  }
  if (cause instanceof ApplicationFailure) {
    return { status: 'failed', errorType: cause.type ?? 'ApplicationFailure', errorMessage: cause.message };
  }
  return { status: 'failed', errorType: (cause as Error)?.name ?? 'Error', errorMessage: (cause as Error)?.message ?? String(cause) };
}

/**
 * One slot of a job: record it in the ledger, run the kind's activity under the definition's retry
 * policy and timeouts (the activity takes the lock and fence and heartbeats its chunks), record the
 * verdict. Cancelling the workflow cancels the activity, which stops at the next chunk boundary and
 * releases the lock before the verdict is written.
 */
export async function runJob(input: RunInput): Promise<RunSummary> {
  const info = workflowInfo();
  const { slot, source } = resolveSlot(input.slot, scheduledStartTime(), info.startTime);
  const slotIso = slot.toISOString();
  upsertSearchAttributes([{ key: SLOT_ATTRIBUTE, value: slot }]);
  const base = { jobKey: input.jobKey, kind: input.kind, slot: slotIso, slotSource: source };

  const activityName = ACTIVITY_FOR_KIND[input.kind as JobKind];
  const started = await ledger.recordSlotStarted({ jobKey: input.jobKey, kind: input.kind, slot: slotIso, workflowId: info.workflowId, runId: info.runId });
  if (!activityName) {
    const message = `unknown job kind "${input.kind}"`;
    await ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, status: 'failed', errorType: 'UnknownJobKind', errorMessage: message });
    throw ApplicationFailure.create({ message, type: 'UnknownJobKind', nonRetryable: true });
  }
  if (started.alreadySucceeded) {
    log.info('slot already succeeded; not running it again', { jobKey: input.jobKey, slot: slotIso });
    return { ...base, status: 'succeeded', duplicate: true, result: (started.result as JobResult | null) ?? null };
  }

  const job = proxyActivities<Activities>({
    startToCloseTimeout: input.timeouts.startToCloseMs,
    heartbeatTimeout: input.timeouts.heartbeatMs,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: input.retry.maxAttempts,
      initialInterval: input.retry.initialIntervalMs,
      maximumInterval: input.retry.maxIntervalMs,
      backoffCoefficient: input.retry.backoffCoefficient,
      nonRetryableErrorTypes: input.retry.nonRetryableErrorTypes,
    },
  })[activityName];

  try {
    const result = await job({
      jobKey: input.jobKey,
      kind: input.kind as JobKind,
      slot: slotIso,
      slotSource: source,
      params: input.params,
      timezone: input.timezone,
      lock: input.lock,
      workflowId: info.workflowId,
      runId: info.runId,
    });
    await ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, status: 'succeeded', result });
    return { ...base, status: 'succeeded', duplicate: !!result.duplicate, result };
  } catch (err) {
    const verdict = verdictOf(err);
    // The verdict must land even though the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(() => ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, ...verdict }));
    throw err;
  }
}
