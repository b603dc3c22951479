import { randomUUID } from 'node:crypto';
import type { Client, ScheduleSpec } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '@timekeeper/contracts';
import { ScheduleInputError } from './schedule-input-error';

/** Throwaway schedules (previews, zone probes) carry this prefix; the reconciler never owns them. */
export const PREVIEW_ID_PREFIX = 'tkpreview-';

/**
 * Runs `fn` with the id of a PAUSED throwaway schedule, which is deleted afterwards whatever happens
 * (and by sweepStalePreviews if the process dies first; `instance` is its owner tag for that sweep).
 * Paused means it never starts a run, even in the moment before the delete. Temporal is the only
 * authority on when a spec fires, so previews and zone probes ask it through one of these.
 */
export async function withPreviewSchedule<T>(
  client: Client,
  spec: ScheduleSpec,
  taskQueue: string,
  fn: (scheduleId: string) => Promise<T>,
  instance?: string,
): Promise<T> {
  const scheduleId = `${PREVIEW_ID_PREFIX}${randomUUID()}`;
  let handle;
  try {
    handle = await client.schedule.create({
      scheduleId,
      spec,
      action: { type: 'startWorkflow', workflowType: RUN_WORKFLOW_TYPE, taskQueue, args: [] },
      state: { paused: true, note: 'Timekeeper fire-time preview; deleted right after listing' },
      ...(instance ? { memo: { instance } } : {}),
    });
  } catch (err) {
    // Our checks should have caught this; if the server still disagrees, it is still the caller's input.
    // The SDK turns the server's "Invalid schedule spec" (INVALID_ARGUMENT) into a TypeError.
    if (err instanceof TypeError || (err as { cause?: { code?: number } }).cause?.code === 3 /* INVALID_ARGUMENT */) {
      throw new ScheduleInputError('schedule', `Temporal rejected the schedule: ${(err as Error).message}`);
    }
    throw err;
  }
  let succeeded = false;
  try {
    const result = await fn(scheduleId);
    succeeded = true;
    return result;
  } finally {
    // A failed delete is reported unless it would hide the error that got us here.
    const deleted = handle.delete();
    await (succeeded ? deleted : deleted.catch(() => undefined));
  }
}
