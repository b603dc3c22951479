import type { RaiseInput } from './store';
import type { DeadLetter } from './webhook';

/** Entries that are not alert events belong to no job: they are filed under this key (no job can have it). */
export const WEBHOOK_PSEUDO_JOB = '_webhook';

/** The alert for an event the webhook gave up on: on the event's own job and slot. */
export function webhookDeadLetterAlert(letter: DeadLetter): RaiseInput {
  const { alert } = letter.event;
  return {
    jobKey: alert.jobKey,
    slot: new Date(alert.slot),
    kind: 'webhook_failed',
    reason: `The webhook did not accept this ${alert.kind} alert after ${letter.attempts} attempt(s): ${letter.error}`,
    observation: `dead:${letter.entryId}`,
    details: { errorMessage: letter.error, attempt: letter.attempts, source: 'webhook' },
  };
}

/** The alert for a live-stream entry the webhook could not read: one per hour, counting repeats. */
export function webhookSkipAlert(entryId: string, reason: string): RaiseInput {
  const at = Number(entryId.split('-')[0]);
  const hour = new Date(Math.floor((Number.isFinite(at) ? at : Date.now()) / 3_600_000) * 3_600_000);
  return {
    jobKey: WEBHOOK_PSEUDO_JOB,
    slot: hour,
    kind: 'webhook_failed',
    reason: `Live-stream entry ${entryId} was skipped: ${reason}`,
    observation: `skipped:${entryId}`,
    details: { errorMessage: reason, source: 'webhook' },
  };
}
