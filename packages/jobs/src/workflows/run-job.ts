import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ActivityCancellationType,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, type Priority } from '@temporalio/common';
import type { JobKind, RunInput } from '@timekeeper/contracts';
import type { Activities } from '../activities';
import { supersededDetails } from '../runner/superseded';
import type { JobResult } from '../runner/types';
import { callPastBusyLock } from './lock-busy';
import { activityPriority } from './priority';
import { ACTIVITY_FOR_KIND, resolveSlot, type SlotSource } from './slot';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const SLOT_ATTRIBUTE = defineSearchAttributeKey('TimekeeperSlot', SearchAttributeType.DATETIME);

export type RunSummary = {
  jobKey: string;
  kind: string;
  slot: string;
  slotSource: SlotSource;
  /** `superseded`: a latest-state slot older than one whose effects had committed; nothing ran. */
  status: 'succeeded' | 'superseded';
  duplicate: boolean;
  result: JobResult | null;
  /** The newer slot, when superseded. */
  supersededBy?: string;
};

type LedgerActivities = Pick<Activities, 'recordSlotStarted' | 'recordSlotVerdict'>;
const LEDGER_RETRY = { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 20 } as const;

/**
 * Runs keep their history lean (the patch `lean-run-history`), because the server's work per run is what
 * bounds how fast a minute with a thousand slots is started on one Temporal (issue 10, bench:same-minute):
 * - The ledger writes are local activities: a few milliseconds of MySQL each, run by the worker inside
 *   the workflow task that needs them and recorded as a marker. As ordinary activities each cost the
 *   server a task, three history events and another workflow task. Like ordinary activities they run at
 *   least once; both writes are idempotent and conditional on the run id.
 * - The slot is upserted as a search attribute only when visibility does not have it from the start
 *   (TemporalScheduledStartTime for a scheduled run, TimekeeperSlot when the API started it).
 * Runs started before this change replay as they were recorded: upsert and ordinary activities. The patch
 * itself costs each run a marker and an upsert of TemporalChangeVersion; once no run from before it can
 * still be open (a release later), `deprecatePatch` and then removing it drops those too.
 */
const LEAN_RUN_HISTORY = 'lean-run-history';

function ledgerActivities(lean: boolean, priority: Priority | undefined): LedgerActivities {
  if (lean) return proxyLocalActivities<LedgerActivities>({ startToCloseTimeout: '30s', retry: LEDGER_RETRY });
  return proxyActivities<LedgerActivities>({ startToCloseTimeout: '30s', retry: LEDGER_RETRY, priority });
}

/** Whether visibility already shows the run's slot from its start. */
function slotVisibleFromStart(slot: Date, source: SlotSource): boolean {
  if (source === 'schedule') return true;
  const set = workflowInfo().typedSearchAttributes.get(SLOT_ATTRIBUTE);
  return !!set && new Date(set).getTime() === slot.getTime();
}

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
  const lean = patched(LEAN_RUN_HISTORY);
  if (!lean || !slotVisibleFromStart(slot, source)) upsertSearchAttributes([{ key: SLOT_ATTRIBUTE, value: slot }]);
  const base = { jobKey: input.jobKey, kind: input.kind, slot: slotIso, slotSource: source };
  const ledger = ledgerActivities(lean, activityPriority(slot, info.startTime, false));

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

  // One call per lock round: a busy lock ends the call with LockBusy and callPastBusyLock waits on a
  // timer, then calls again with the attempts left (see lock-busy.ts).
  const job = (maximumAttempts: number, afterLockBusy: boolean) =>
    proxyActivities<Activities>({
      priority: activityPriority(slot, info.startTime, afterLockBusy),
      startToCloseTimeout: input.timeouts.startToCloseMs,
      heartbeatTimeout: input.timeouts.heartbeatMs,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry: {
        maximumAttempts,
        initialInterval: input.retry.initialIntervalMs,
        maximumInterval: input.retry.maxIntervalMs,
        backoffCoefficient: input.retry.backoffCoefficient,
        nonRetryableErrorTypes: input.retry.nonRetryableErrorTypes,
      },
    })[activityName];

  try {
    const result = await callPastBusyLock(input.retry, (maximumAttempts, attemptOffset, afterLockBusy) =>
      job(maximumAttempts, afterLockBusy)({
        jobKey: input.jobKey,
        kind: input.kind as JobKind,
        slot: slotIso,
        slotSource: source,
        params: input.params,
        timezone: input.timezone,
        lock: input.lock,
        workflowId: info.workflowId,
        runId: info.runId,
        attemptOffset,
      }),
    );
    await ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, status: 'succeeded', result });
    return { ...base, status: 'succeeded', duplicate: !!result.duplicate, result };
  } catch (err) {
    const superseded = supersededDetails(err);
    if (superseded) {
      // Its own verdict, not a failure: the workflow completes, so neither the ledger nor Temporal
      // visibility reports it as failed, and the newer slot is named in the row's result and message.
      const { supersededBy } = superseded;
      const errorMessage = `superseded by newer slot ${supersededBy}, whose effects had already committed; this older slot was stopped before writing over them`;
      await CancellationScope.nonCancellable(() =>
        ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, status: 'superseded', result: { supersededBy }, errorType: 'Superseded', errorMessage }),
      );
      return { ...base, status: 'superseded', duplicate: false, result: null, supersededBy };
    }
    const verdict = verdictOf(err);
    // The verdict must land even though the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(() => ledger.recordSlotVerdict({ jobKey: input.jobKey, slot: slotIso, runId: info.runId, ...verdict }));
    throw err;
  }
}
