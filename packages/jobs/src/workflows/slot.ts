// Deterministic helpers for the runJob workflow (no Node built-ins, no I/O).

/** Job kind -> the activity that implements it. */
export const ACTIVITY_FOR_KIND = {
  'vip-recalculation': 'vipRecalculation',
  'report-generation': 'reportGeneration',
  'cache-warming': 'cacheWarming',
  'data-cleanup': 'dataCleanup',
  synthetic: 'synthetic',
} as const;

export type SlotSource = 'input' | 'schedule' | 'start-time';

/**
 * The slot's nominal time: an explicit `input.slot` (manual retries and backfills) wins, then the
 * schedule's TemporalScheduledStartTime, then the workflow's start time.
 */
export function resolveSlot(
  inputSlot: string | undefined,
  scheduledStart: Date | string | undefined,
  startTime: Date,
): { slot: Date; source: SlotSource } {
  if (inputSlot) {
    const d = new Date(inputSlot);
    if (!Number.isNaN(d.getTime())) return { slot: d, source: 'input' };
  }
  if (scheduledStart) {
    const d = new Date(scheduledStart);
    if (!Number.isNaN(d.getTime())) return { slot: d, source: 'schedule' };
  }
  return { slot: startTime, source: 'start-time' };
}
