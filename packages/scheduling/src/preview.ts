/**
 * Fire-time preview for a schedule that is not saved yet. Temporal is the only authority on when a
 * schedule fires, so we ask it: create a throwaway PAUSED schedule, list its matching times, delete it.
 * Paused means it never starts a run, even in the moment before the delete.
 */
import { randomUUID } from 'node:crypto';
import type { Client, ScheduleSpec } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '@timekeeper/contracts';
import { checkCron } from './cron';
import { listFireTimes, type FireTime } from './fire-times';
import { checkTimezone } from './timezone';

export const PREVIEW_ID_PREFIX = 'tkpreview-';
export const MAX_PREVIEW_COUNT = 1000;
// Temporal's calendar covers these years only.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** Bad preview input, named by field; the API turns it into a 400. */
export class ScheduleInputError extends RangeError {
  constructor(
    readonly field: 'cron' | 'interval' | 'timezone' | 'count' | 'from' | 'schedule',
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleInputError';
  }
}

export type PreviewOptions = {
  cron?: string;
  intervalMs?: number;
  timezone: string;
  count: number;
  from?: Date;
  taskQueue: string;
  /** Owner tag (memo `instance`), so this installation's sweep may remove it if it is ever left behind. */
  instance?: string;
};

export async function previewFireTimes(client: Client, opts: PreviewOptions): Promise<FireTime[]> {
  const spec = previewSpec(opts);
  return withPreviewSchedule(
    client,
    spec,
    opts.taskQueue,
    (scheduleId) => listFireTimes(client, { scheduleId, timezone: opts.timezone, cron: opts.cron, count: opts.count, from: opts.from }),
    opts.instance,
  );
}

/** Validates the input (before Temporal sees it) and builds the schedule spec. */
export function previewSpec(opts: Omit<PreviewOptions, 'taskQueue' | 'instance'>): ScheduleSpec {
  const tzError = checkTimezone(opts.timezone);
  if (tzError) throw new ScheduleInputError('timezone', tzError);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_PREVIEW_COUNT) {
    throw new ScheduleInputError('count', `count must be a whole number from 1 to ${MAX_PREVIEW_COUNT}, got ${opts.count}`);
  }
  if (opts.from) {
    const year = Number.isNaN(opts.from.getTime()) ? NaN : opts.from.getUTCFullYear();
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) throw new ScheduleInputError('from', `from must be a time in the years ${FIRST_YEAR}-${LAST_YEAR}`);
  }
  if ((opts.cron === undefined) === (opts.intervalMs === undefined)) {
    throw new ScheduleInputError('schedule', 'give exactly one of cron or interval');
  }
  if (opts.cron !== undefined) {
    const check = checkCron(opts.cron);
    if (!check.ok) throw new ScheduleInputError('cron', check.message);
    return { cronExpressions: [check.temporalCron], timezone: opts.timezone };
  }
  const every = opts.intervalMs as number;
  const intervalError = checkInterval(every);
  if (intervalError) throw new ScheduleInputError('interval', intervalError);
  return { intervals: [{ every }], timezone: opts.timezone };
}

/** Null when Temporal will run an interval as given, else why not. */
export function checkInterval(everyMs: number): string | null {
  // Temporal truncates intervals to whole seconds (1.5s fires every 1s) and refuses anything shorter.
  if (!Number.isInteger(everyMs) || everyMs < 1000 || everyMs % 1000 !== 0) {
    return `interval must be a whole number of seconds, at least 1s, got ${everyMs}ms`;
  }
  return null;
}

/**
 * Runs `fn` with the id of a paused throwaway schedule, which is deleted afterwards whatever happens
 * (and by sweepStalePreviews if the process dies first).
 */
export async function withPreviewSchedule<T>(client: Client, spec: ScheduleSpec, taskQueue: string, fn: (scheduleId: string) => Promise<T>, instance?: string): Promise<T> {
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
