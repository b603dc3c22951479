import { randomUUID } from 'node:crypto';
import type { RunEvent, RunProgressEvent, RunState, SlotProgress } from '@timekeeper/contracts';
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

export type ProgressFact = {
  jobKey: string;
  slot: Date;
  workflowId: string | null;
  runId: string | null;
  attempt: number;
  progress: SlotProgress;
};

/**
 * Writes one `run.progress` event per fact to the outbox (runs topic). Not deduplicated like state
 * events: the progress pass sends a slot's progress only when it moved, and a repeat after a lease
 * change just says the same thing twice.
 */
export async function writeProgressEvents(tx: EntityManager, topic: string, facts: ProgressFact[]): Promise<RunProgressEvent[]> {
  const at = new Date().toISOString();
  const events: RunProgressEvent[] = facts.map((f) => ({
    eventId: randomUUID(),
    type: 'run.progress',
    at,
    jobKey: f.jobKey,
    slot: f.slot.toISOString(),
    workflowId: f.workflowId,
    runId: f.runId,
    attempt: f.attempt,
    progress: f.progress,
  }));
  await writeOutbox(tx, events.map((e) => ({ topic, key: e.jobKey, type: e.type, eventId: e.eventId, payload: e })));
  return events;
}
