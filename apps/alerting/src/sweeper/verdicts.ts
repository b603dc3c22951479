import type { AlertKind, AlertSeverity, MissedReason } from '@timekeeper/contracts';
import type { SlotStatus } from '@timekeeper/db';
import type { Verdict } from '@timekeeper/jobs';

/**
 * The verdict of a run that closed without writing one (no workflow code ran: an execution timeout,
 * a termination, or a failure while recording), from Temporal's own state. Null while it runs.
 */
export function verdictOfClosedRun(status: string): Verdict | null {
  switch (status) {
    case 'COMPLETED':
      // runJob completes only after it recorded success (or found the slot already succeeded).
      return { status: 'succeeded' };
    case 'FAILED':
      return { status: 'failed', errorType: 'WorkflowFailed', errorMessage: 'the run failed before it could record its verdict' };
    case 'TIMED_OUT':
      return { status: 'timed_out', errorType: 'WorkflowTimedOut', errorMessage: 'the run exceeded its execution timeout (timeouts.run)' };
    case 'TERMINATED':
      return { status: 'failed', errorType: 'WorkflowTerminated', errorMessage: 'the run was terminated (by an operator, or by the overlap policy terminate_other)' };
    case 'CANCELLED':
      return { status: 'cancelled', errorType: 'WorkflowCancelled', errorMessage: 'the run was cancelled' };
    default:
      return null;
  }
}

export const REASON_TEXT: Record<MissedReason, string> = {
  overlap_skip: 'skipped by the overlap policy: the previous run was still going',
  catchup_window_exceeded: 'not started within the catch-up window (Temporal was behind or down)',
  paused: 'the schedule was paused through the slot',
  not_started: 'the scheduler passed the slot without starting it',
  no_worker: 'the run was started but no worker picked it up within the grace period',
  schedule_missing: 'the schedule did not exist in Temporal at the slot',
  dst_policy: 'the job’s DST policy skips this wall time (a clock change)',
};

/** Which alert a slot's verdict raises, if any (paused slots and DST policy skips are the job's own doing). */
export function alertOfVerdict(row: { status: SlotStatus; errorType: string | null }): { kind: AlertKind; severity?: AlertSeverity } | null {
  switch (row.status) {
    case 'failed':
      return { kind: row.errorType === 'WorkflowTerminated' ? 'terminated' : 'failed' };
    case 'timed_out':
      return { kind: 'timed_out' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'skipped':
      // A slot the DST policy skips is the job's own choice; an overlap skip is a missed window.
      return row.errorType === 'dst_policy' ? null : { kind: 'missed' };
    case 'missed':
      return { kind: 'missed', severity: row.errorType === 'paused' ? 'info' : undefined };
    default:
      return null;
  }
}

/** Where a verdict came from: the run itself, Temporal's state of a run that closed unrecorded, or no run at all. */
export function verdictSource(row: { status: SlotStatus; errorType: string | null }): 'ledger' | 'temporal' | 'schedule' {
  if (row.status === 'missed' || row.status === 'skipped') return 'schedule';
  return row.errorType?.startsWith('Workflow') ? 'temporal' : 'ledger';
}

/** Kinds that say a slot has no good run: they stay open until that slot succeeds or someone acknowledges them. */
export const SLOT_OUTCOME_KINDS: readonly AlertKind[] = ['failed', 'timed_out', 'terminated', 'cancelled', 'missed'];
/** Kinds that warn while a slot has no verdict yet: its verdict, whatever it is, resolves them. */
export const SLOT_WARNING_KINDS: readonly AlertKind[] = ['late_start', 'overdue'];
