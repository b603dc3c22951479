/**
 * Fire-time preview for a schedule that is not saved yet: the input is checked here (Temporal's own
 * errors do not say which field is wrong), then the slots come from the same planner that the saved
 * job's schedules, next-runs and the ledger use.
 */
import type { DstPolicy, ExpectedSlot } from '@timekeeper/contracts';
import { checkCron } from './cron';
import type { SlotPlanner } from './expected-slots';
import { ScheduleInputError } from './schedule-input-error';
import { checkTimezone } from './timezone';

export const MAX_PREVIEW_COUNT = 1000;
// Temporal's calendar covers these years only.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

export type PreviewOptions = { cron?: string; intervalMs?: number; timezone: string; dst: DstPolicy; count: number; from?: Date };

/** Throws a ScheduleInputError naming the first field at fault. */
export function checkPreview(opts: PreviewOptions): void {
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
    return;
  }
  const intervalError = checkInterval(opts.intervalMs as number);
  if (intervalError) throw new ScheduleInputError('interval', intervalError);
}

/** Null when Temporal will run an interval as given, else why not. */
export function checkInterval(everyMs: number): string | null {
  // Temporal truncates intervals to whole seconds (1.5s fires every 1s) and refuses anything shorter.
  if (!Number.isInteger(everyMs) || everyMs < 1000 || everyMs % 1000 !== 0) {
    return `interval must be a whole number of seconds, at least 1s, got ${everyMs}ms`;
  }
  return null;
}

/** The next `count` slots (at or after `from`, default now) of an unsaved schedule. */
export async function previewSlots(planner: SlotPlanner, opts: PreviewOptions): Promise<ExpectedSlot[]> {
  checkPreview(opts);
  return planner.expectedSlots(
    { cron: opts.cron, intervalMs: opts.intervalMs, timezone: opts.timezone, dst: opts.dst },
    { from: opts.from ?? new Date(), count: opts.count },
  );
}
