import type { RunStatus } from '../api/types';

// One place for verdict names, colours and what may be done to a run in that state.
/** A run state from the contracts, or `paused` (a slot a paused job let pass). */
export type Verdict = RunStatus | 'paused';

/** Every verdict, in the timeline's code order. */
export const ALL_VERDICTS: readonly Verdict[] = ['planned', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'terminated', 'skipped', 'missed', 'paused', 'superseded'];
const KNOWN: ReadonlySet<string> = new Set(ALL_VERDICTS);

/** The verdict to show; an unknown state (a newer API) shows as running rather than breaking the view. */
export function verdictOf(status: RunStatus | string): Verdict {
  return KNOWN.has(status) ? (status as Verdict) : 'running';
}

export const VERDICT_LABEL: Record<Verdict, string> = {
  planned: 'Planned',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Timed out',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
  skipped: 'Skipped',
  missed: 'Missed',
  paused: 'Paused',
  superseded: 'Superseded',
};

export const VERDICT_COLOR: Record<Verdict, string> = {
  planned: '#9aa4b2',
  running: '#2f6fde',
  succeeded: '#2e9d62',
  failed: '#d23f3f',
  timed_out: '#e0782a',
  cancelled: '#7d8590',
  terminated: '#9650c8',
  skipped: '#c9a227',
  missed: '#8c2d2d',
  paused: '#b8bec8',
  // A newer slot's state won: not a failure, so no warm colour.
  superseded: '#6b8fa3',
};

export const RETRYABLE: ReadonlySet<Verdict> = new Set(['failed', 'timed_out', 'cancelled', 'terminated']);
export const canRetry = (status: string) => RETRYABLE.has(verdictOf(status));
export const canCancel = (status: string) => verdictOf(status) === 'running';
