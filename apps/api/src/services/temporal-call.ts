import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { ScheduleInputError } from '@timekeeper/scheduling';
import { ApiError, conflict, unavailable } from '../errors';

// Deadlines in calls of TEMPORAL_CALL_TIMEOUT_MS: planning slots may probe Temporal's zone data;
// writing a job's schedules takes four round trips (see applySchedule).
export const PLAN_CALLS = 10;
export const APPLY_CALLS = 4;

/**
 * A request's calls to Temporal: all of them together bounded by `timeoutMs` (TEMPORAL_CALL_TIMEOUT_MS),
 * and when Temporal fails or does not answer, a 503 `temporal_unavailable` whose raw cause goes to the
 * log only. Errors that already describe the caller's input (ApiError, ScheduleInputError) pass through.
 * A job's schedule missing in Temporal (deleted outside Timekeeper) is a 409 `schedule_missing`: Temporal
 * is up, and the API's drift pass recreates the schedule, so a retry shortly after succeeds.
 * (A preview cut off by the deadline may leave its throwaway schedule behind: the preview sweep removes it.)
 */
export async function temporalCall<T>(temporal: Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await temporal.connection.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    if (err instanceof ApiError || err instanceof ScheduleInputError) throw err;
    if (err instanceof ScheduleNotFoundError) throw conflict('schedule_missing', "The job's schedule is missing in Temporal; it is being recreated. Try again shortly.");
    throw unavailable('temporal_unavailable', 'Temporal did not answer; try again shortly.', err);
  }
}
