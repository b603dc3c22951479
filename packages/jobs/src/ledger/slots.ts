import type { SlotProgress } from '@timekeeper/contracts';
import type { EntityManager, SlotStatus } from '@timekeeper/db';

// The slot ledger's state machine. One row per slot; the row belongs to one run at a time (run_id).
//   planned ──start──▶ running ──verdict──▶ succeeded | failed | timed_out | cancelled | …
//   planned ──sweeper──▶ missed | skipped (no run), or the verdict of a run that closed unrecorded
// A terminal row never changes again, except that a *new run* of the slot (a Retry, a backfill, or
// Temporal starting the slot after it was judged missed) takes it over: the replaced state is kept
// in job_slot_runs and `runs` counts up. A succeeded slot is never taken over. Every other write
// names its run and only lands while that run owns a non-terminal row, so a zombie attempt or a late
// verdict of a replaced run changes nothing; a replaced run that is still alive stands down. Each
// state write bumps `revision` and sets `report_pending` for the alerting service, in the same statement.

export type SlotRef = { jobKey: string; nominalTime: Date };

export type SlotStartResult = { status: SlotStatus; alreadySucceeded: boolean; result: Record<string, unknown> | null };

/** Statuses a run or the sweeper may still move on from. */
export const OPEN_SLOT_STATUSES = ['planned', 'running'] as const;

const CHANGED = 'revision = revision + 1, report_pending = 1';

type Exec = { affectedRows?: number };
type Row = { id: number; status: SlotStatus; run_id: string | null; result: Record<string, unknown> | null };

/**
 * Records that a run of the slot has started (creating the ledger row if needed). A slot that has
 * already succeeded is left as it is and reported, so a duplicate trigger does no work; a row this
 * same run already closed is left as it is too (an activity retried after its run ended).
 */
export async function markSlotStarted(
  em: EntityManager,
  slot: SlotRef & { kind: string; workflowId: string; runId: string },
): Promise<SlotStartResult> {
  return em.transactional(async (tx) => {
    const now = new Date();
    const inserted = await tx.execute<Exec>(
      `insert ignore into job_slots (job_key, nominal_time, kind, status, workflow_id, run_id, attempt, runs, started_at, revision, report_pending, created_at, updated_at)
       values (?, ?, ?, 'running', ?, ?, 0, 1, ?, 1, 1, ?, ?)`,
      [slot.jobKey, slot.nominalTime, slot.kind, slot.workflowId, slot.runId, now, now, now],
      'run',
    );
    if (inserted.affectedRows) return { status: 'running', alreadySucceeded: false, result: null };
    const [row] = await tx.execute<Row[]>('select id, status, run_id, result from job_slots where job_key = ? and nominal_time = ? for update', [
      slot.jobKey,
      slot.nominalTime,
    ]);
    if (row.status === 'succeeded') return { status: row.status, alreadySucceeded: true, result: row.result };
    if (row.run_id === slot.runId) return { status: row.status, alreadySucceeded: false, result: row.result };
    if (row.status !== 'planned') {
      // A new run of a slot that had another run (or a verdict without one): keep what it replaces.
      await tx.execute(
        `insert ignore into job_slot_runs (job_key, nominal_time, run_no, status, workflow_id, run_id, attempt, started_at, finished_at, result, error_type, error_message, replaced_at)
         select job_key, nominal_time, runs, status, workflow_id, run_id, attempt, started_at, finished_at, result, error_type, error_message, ?
         from job_slots where id = ?`,
        [now, row.id],
        'run',
      );
    }
    await tx.execute(
      `update job_slots set status = 'running', kind = ?, workflow_id = ?, run_id = ?, attempt = 0, fence = null, started_at = ?, finished_at = null,
         progress = null, result = null, error_type = null, error_message = null, runs = runs + 1, ${CHANGED}, updated_at = ?
       where id = ?`,
      [slot.kind, slot.workflowId, slot.runId, now, now, row.id],
      'run',
    );
    return { status: 'running', alreadySucceeded: false, result: null };
  });
}

export async function readSlot(
  em: EntityManager,
  slot: SlotRef,
  lock = false,
): Promise<{ status: string; result: Record<string, unknown> | null; workflowId: string | null; runId: string | null } | null> {
  const rows = await em.execute<Array<{ status: string; result: Record<string, unknown> | null; workflow_id: string | null; run_id: string | null }>>(
    `select status, result, workflow_id, run_id from job_slots where job_key = ? and nominal_time = ?${lock ? ' for update' : ''}`,
    [slot.jobKey, slot.nominalTime],
  );
  return rows[0] ? { status: rows[0].status, result: rows[0].result, workflowId: rows[0].workflow_id, runId: rows[0].run_id } : null;
}

/** This run owns the slot's row and the row is still open (or there is no row to guard). */
const OWNED_OPEN = `status in ('planned', 'running') and (run_id = ? or run_id is null)`;

/** Whose slot an attempt is working on: its own run's, another (newer) run's, or a closed one. */
export type AttemptClaim = 'ours' | 'replaced' | 'closed';

/**
 * An activity attempt took the lock: note the attempt number and fence on the slot. `replaced`: a
 * newer run of the slot took the row over, so this one stands down; `closed`: the row has its verdict
 * (this attempt outlived its run, e.g. a run timeout), so it must do no work.
 */
export async function markAttempt(em: EntityManager, slot: SlotRef & { runId: string }, attempt: number, fence: number): Promise<AttemptClaim> {
  const res = await em.execute<Exec>(
    `update job_slots set attempt = ?, fence = ?, status = 'running', run_id = coalesce(run_id, ?), ${CHANGED}, updated_at = ?
     where job_key = ? and nominal_time = ? and ${OWNED_OPEN}`,
    [attempt, fence, slot.runId, new Date(), slot.jobKey, slot.nominalTime, slot.runId],
    'run',
  );
  if (res.affectedRows) return 'ours';
  const row = await readSlot(em, slot);
  // No row at all (an activity run outside runJob): nothing to guard.
  if (!row) return 'ours';
  return (OPEN_SLOT_STATUSES as readonly string[]).includes(row.status) ? 'replaced' : 'closed';
}

/**
 * Progress written inside each chunk's transaction, so the ledger never runs ahead of the effects, and
 * only while this run owns the open row. Written outside one (an attempt's first report), `onlyFence`
 * keeps a stale holder from overwriting the progress of the attempt that took the slot after it.
 */
export async function writeProgress(em: EntityManager, slot: SlotRef & { runId: string }, progress: SlotProgress, onlyFence?: number): Promise<void> {
  await em.execute(
    `update job_slots set progress = ?, updated_at = ? where job_key = ? and nominal_time = ? and ${OWNED_OPEN}${onlyFence === undefined ? '' : ' and fence = ?'}`,
    [JSON.stringify(progress), new Date(), slot.jobKey, slot.nominalTime, slot.runId, ...(onlyFence === undefined ? [] : [onlyFence])],
    'run',
  );
}

export type Verdict = {
  status: Extract<SlotStatus, 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'superseded'>;
  result?: Record<string, unknown> | null;
  errorType?: string | null;
  errorMessage?: string | null;
};

/**
 * Records a run's verdict: from the run's own workflow, or from the sweeper when the run closed
 * without writing one (execution timeout, termination). Lands only while that run owns the open row.
 * Returns whether it landed.
 */
export async function markSlotFinished(
  em: EntityManager,
  slot: SlotRef & { runId: string; workflowId?: string | null; finishedAt?: Date },
  verdict: Verdict,
): Promise<boolean> {
  const now = new Date();
  const res = await em.execute<Exec>(
    `update job_slots set status = ?, finished_at = ?, result = coalesce(?, result), error_type = ?, error_message = ?,
       run_id = coalesce(run_id, ?), workflow_id = coalesce(workflow_id, ?), runs = greatest(runs, 1), ${CHANGED}, updated_at = ?
     where job_key = ? and nominal_time = ? and ${OWNED_OPEN}`,
    [
      verdict.status,
      slot.finishedAt ?? now,
      verdict.result ? JSON.stringify(verdict.result) : null,
      verdict.errorType ?? null,
      verdict.errorMessage ? verdict.errorMessage.slice(0, 4000) : null,
      slot.runId,
      slot.workflowId ?? null,
      now,
      slot.jobKey,
      slot.nominalTime,
      slot.runId,
    ],
    'run',
  );
  return !!res.affectedRows;
}

/** A slot no run was started for: missed (with its reason) or skipped by the overlap policy. Planned rows only. */
export async function markSlotUnrun(
  em: EntityManager,
  slot: SlotRef,
  verdict: { status: Extract<SlotStatus, 'missed' | 'skipped'>; reason: string; message: string },
): Promise<boolean> {
  const res = await em.execute<Exec>(
    `update job_slots set status = ?, error_type = ?, error_message = ?, ${CHANGED}, updated_at = ?
     where job_key = ? and nominal_time = ? and status = 'planned'`,
    [verdict.status, verdict.reason, verdict.message, new Date(), slot.jobKey, slot.nominalTime],
    'run',
  );
  return !!res.affectedRows;
}
