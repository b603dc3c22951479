import { randomUUID } from 'node:crypto';
import type { RunEvent, RunState } from '@timekeeper/contracts';
import { writeOutbox, type EntityManager } from '@timekeeper/db';

export type RunFact = {
  jobKey: string;
  slot: Date;
  status: RunState;
  workflowId: string | null;
  runId: string | null;
  attempt: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorType: string | null;
  errorMessage: string | null;
};

/**
 * Writes a run-state event to the outbox unless this exact state (job, slot, status, run, attempt) was
 * already written: the ledger does not write run events itself, so the alerting service derives them
 * from ledger changes, and a re-read or a second instance must not double them.
 */
export async function writeRunEvent(tx: EntityManager, topic: string, fact: RunFact): Promise<RunEvent | null> {
  const key = `run|${fact.jobKey}|${fact.slot.toISOString()}|${fact.status}|${fact.runId ?? '-'}|${fact.attempt}`.slice(0, 255);
  const seen = await tx.execute<{ affectedRows?: number }>('insert ignore into alert_observations (`key`, created_at) values (?, ?)', [key, new Date()], 'run');
  if (!seen.affectedRows) return null;
  const event: RunEvent = {
    eventId: randomUUID(),
    type: 'run.state',
    at: new Date().toISOString(),
    jobKey: fact.jobKey,
    slot: fact.slot.toISOString(),
    status: fact.status,
    workflowId: fact.workflowId,
    runId: fact.runId,
    attempt: fact.attempt,
    startedAt: fact.startedAt?.toISOString() ?? null,
    finishedAt: fact.finishedAt?.toISOString() ?? null,
    errorType: fact.errorType,
    errorMessage: fact.errorMessage,
  };
  await writeOutbox(tx, [{ eventId: event.eventId, topic, key: fact.jobKey, type: event.type, payload: event }]);
  return event;
}
