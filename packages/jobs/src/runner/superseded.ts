import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

// Workflow-safe (no I/O, no Node built-ins): the runJob workflow maps this failure to the verdict.

export const SUPERSEDED = 'Superseded';

/** The slot that did not run and the newer slot whose committed effects it would have overwritten. */
export type SupersededDetails = { slot: string; supersededBy: string };

/**
 * A latest-state slot older than the job's newest committed slot: running it would put older state
 * over newer (DESIGN.md, exactly-once layer 5). Non-retryable (the state slot only grows, so a retry
 * would be refused again); the workflow records it as the verdict `superseded`, not as a failure.
 */
export function supersededFailure(jobKey: string, slot: Date, newer: Date): ApplicationFailure {
  const details: SupersededDetails = { slot: slot.toISOString(), supersededBy: newer.toISOString() };
  return ApplicationFailure.create({
    message: `slot ${details.slot} of job ${jobKey} is superseded by slot ${details.supersededBy}, whose effects have committed; an older slot never overwrites newer state`,
    type: SUPERSEDED,
    nonRetryable: true,
    details: [details],
  });
}

/** The details of a Superseded failure (as thrown, or wrapped by the activity call), else null. */
export function supersededDetails(err: unknown): SupersededDetails | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== SUPERSEDED) return null;
  const d = cause.details?.[0] as Partial<SupersededDetails> | undefined;
  return typeof d?.slot === 'string' && typeof d.supersededBy === 'string' ? { slot: d.slot, supersededBy: d.supersededBy } : null;
}
