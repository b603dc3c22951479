import type { Client } from '@temporalio/client';
import { ScheduleInputError } from '@timekeeper/scheduling';
import { ApiError, unavailable } from '../errors';

// Deadlines in calls of TEMPORAL_CALL_TIMEOUT_MS: planning slots may probe Temporal's zone data;
// writing a job's schedules takes four round trips (see applySchedule).
export const PLAN_CALLS = 10;
export const APPLY_CALLS = 4;

/**
 * A request's calls to Temporal: all of them together bounded by `timeoutMs` (TEMPORAL_CALL_TIMEOUT_MS),
 * and when Temporal fails or does not answer, a 503 `temporal_unavailable` whose raw cause goes to the
 * log only. Errors that already describe the caller's input (ApiError, ScheduleInputError) pass through.
 * (A preview cut off by the deadline may leave its throwaway schedule behind: the preview sweep removes it.)
 */
export async function temporalCall<T>(temporal: Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await temporal.connection.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    if (err instanceof ApiError || err instanceof ScheduleInputError) throw err;
    throw unavailable('temporal_unavailable', 'Temporal did not answer; try again shortly.', err);
  }
}
