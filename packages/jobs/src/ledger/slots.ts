import type { SlotProgress } from '@timekeeper/contracts';
import type { EntityManager, SlotStatus } from '@timekeeper/db';

export type SlotRef = { jobKey: string; nominalTime: Date };

export type SlotStartResult = { status: SlotStatus; alreadySucceeded: boolean; result: Record<string, unknown> | null };

/**
 * Records that a run of the slot has started (creating the ledger row if needed). A slot that has
 * already succeeded is left as it is and reported, so a duplicate trigger does no work.
 */
export async function markSlotStarted(
  em: EntityManager,
  slot: SlotRef & { kind: string; workflowId: string; runId: string },
): Promise<SlotStartResult> {
  const now = new Date();
  // MariaDB applies ON DUPLICATE assignments left to right, so `status` is decided last.
  await em.execute(
    `insert into job_slots (job_key, nominal_time, kind, status, workflow_id, run_id, attempt, started_at, created_at, updated_at)
     values (?, ?, ?, 'running', ?, ?, 0, ?, ?, ?)
     on duplicate key update
       workflow_id = if(status = 'succeeded', workflow_id, values(workflow_id)),
       run_id = if(status = 'succeeded', run_id, values(run_id)),
       started_at = if(status = 'succeeded', started_at, values(started_at)),
       finished_at = if(status = 'succeeded', finished_at, null),
       error_type = if(status = 'succeeded', error_type, null),
       error_message = if(status = 'succeeded', error_message, null),
       updated_at = values(updated_at),
       status = if(status = 'succeeded', status, 'running')`,
    [slot.jobKey, slot.nominalTime, slot.kind, slot.workflowId, slot.runId, now, now, now],
    'run',
  );
  const row = await readSlot(em, slot);
  const status = (row?.status ?? 'running') as SlotStatus;
  return { status, alreadySucceeded: status === 'succeeded', result: row?.result ?? null };
}

export async function readSlot(
  em: EntityManager,
  slot: SlotRef,
  lock = false,
): Promise<{ status: string; result: Record<string, unknown> | null; workflowId: string | null } | null> {
  const rows = await em.execute<Array<{ status: string; result: Record<string, unknown> | null; workflow_id: string | null }>>(
    `select status, result, workflow_id from job_slots where job_key = ? and nominal_time = ?${lock ? ' for update' : ''}`,
    [slot.jobKey, slot.nominalTime],
  );
  return rows[0] ? { status: rows[0].status, result: rows[0].result, workflowId: rows[0].workflow_id } : null;
}

/** An activity attempt took the lock: note the attempt number and fence on the slot. */
export async function markAttempt(em: EntityManager, slot: SlotRef, attempt: number, fence: number): Promise<void> {
  await em.execute(
    `update job_slots set attempt = ?, fence = ?, updated_at = ?, status = if(status = 'succeeded', status, 'running')
     where job_key = ? and nominal_time = ?`,
    [attempt, fence, new Date(), slot.jobKey, slot.nominalTime],
    'run',
  );
}

/**
 * Progress written inside each chunk's transaction, so the ledger never runs ahead of the effects.
 * Written outside one (an attempt's first report), `onlyFence` keeps a stale holder from overwriting
 * the progress of the attempt that took the slot after it.
 */
export async function writeProgress(em: EntityManager, slot: SlotRef, progress: SlotProgress, onlyFence?: number): Promise<void> {
  await em.execute(
    `update job_slots set progress = ?, updated_at = ? where job_key = ? and nominal_time = ?${onlyFence === undefined ? '' : ' and fence = ?'}`,
    [JSON.stringify(progress), new Date(), slot.jobKey, slot.nominalTime, ...(onlyFence === undefined ? [] : [onlyFence])],
    'run',
  );
}

export type Verdict = {
  status: Extract<SlotStatus, 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'superseded'>;
  result?: Record<string, unknown> | null;
  errorType?: string | null;
  errorMessage?: string | null;
};

/** Records the run's verdict. A succeeded slot keeps its verdict even if a duplicate run ends otherwise. */
export async function markSlotFinished(em: EntityManager, slot: SlotRef, verdict: Verdict): Promise<void> {
  const now = new Date();
  await em.execute(
    `update job_slots set status = ?, finished_at = ?, result = coalesce(?, result), error_type = ?, error_message = ?, updated_at = ?
     where job_key = ? and nominal_time = ? and status <> 'succeeded'`,
    [
      verdict.status,
      now,
      verdict.result ? JSON.stringify(verdict.result) : null,
      verdict.errorType ?? null,
      verdict.errorMessage ? verdict.errorMessage.slice(0, 4000) : null,
      now,
      slot.jobKey,
      slot.nominalTime,
    ],
    'run',
  );
}
