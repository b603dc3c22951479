import type { Client } from '@temporalio/client';
import { PeriodicTask, type Logger } from '@timekeeper/runtime';
import { sweepStalePreviews } from '@timekeeper/scheduling';

/** A preview schedule lives for one request: one 10 minutes old was left behind. */
export const PREVIEW_MAX_AGE_MS = 10 * 60_000;
/** Owner-less previews may be another installation's older version mid-request: give them longer. */
export const UNOWNED_PREVIEW_MAX_AGE_MS = 60 * 60_000;

/** Deletes this installation's stale tkpreview-* schedules on a timer (and once at start); `ages` for tests. */
export function previewSweeper(
  temporal: Client,
  instance: string,
  logger: Logger,
  intervalMs: number,
  ages = { maxAgeMs: PREVIEW_MAX_AGE_MS, unownedMaxAgeMs: UNOWNED_PREVIEW_MAX_AGE_MS },
): PeriodicTask {
  return new PeriodicTask(
    intervalMs,
    async () => {
      const deleted = await sweepStalePreviews(temporal, { instance, ...ages });
      if (deleted.length) logger.warn({ deleted }, 'deleted preview schedules left behind');
    },
    (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'preview sweep failed'),
  );
}
