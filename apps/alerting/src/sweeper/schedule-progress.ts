import type { ScheduleDescription } from '@temporalio/client';

/**
 * What one DescribeSchedule said, placed by Temporal's own progress rather than by our clock: the
 * scheduler lists its next action times from the last time it processed, so `processedTo` (the first
 * of them) says which slots its counters already account for. A slot t is accounted for exactly when
 * processedTo > t. No pod clock, slow pass or late read can put a snapshot on the wrong side of a slot.
 */
export type ScheduleSnapshot = {
  /** Every nominal time before this has been processed by the scheduler (started, skipped or missed). */
  processedTo: number;
  overlap: number;
  catchup: number;
  paused: boolean;
};

export function snapshotOf(desc: ScheduleDescription): ScheduleSnapshot {
  const next = desc.info.nextActionTimes[0];
  return {
    processedTo: next ? next.getTime() : Number.POSITIVE_INFINITY,
    overlap: desc.info.numActionsSkippedOverlap,
    catchup: desc.info.numActionsMissedCatchupWindow,
    paused: desc.state.paused,
  };
}

/** A schedule's counters are zero when it is created: the baseline for slots no snapshot precedes. */
export const creationBaseline = (createdAt: Date): ScheduleSnapshot => ({ processedTo: createdAt.getTime(), overlap: 0, catchup: 0, paused: false });

/**
 * The snapshots on either side of slot `t`: the newest that does not account for it yet and the oldest
 * that does. `after` is null while the scheduler has not processed the slot (nothing can be said yet).
 */
export function bracket(snapshots: ScheduleSnapshot[], t: number, baseline: ScheduleSnapshot): { before: ScheduleSnapshot; after: ScheduleSnapshot | null } {
  let before: ScheduleSnapshot | null = null;
  let after: ScheduleSnapshot | null = null;
  for (const s of snapshots) {
    if (s.processedTo <= t) {
      if (!before || s.processedTo >= before.processedTo) before = s;
    } else if (!after || s.processedTo < after.processedTo) {
      after = s;
    }
  }
  return { before: before ?? baseline, after };
}

/** What Temporal counted between the two snapshots: an overlap skip, a catch-up miss, or nothing. */
export function countedBetween(before: ScheduleSnapshot, after: ScheduleSnapshot): 'overlap_skip' | 'catchup_window_exceeded' | null {
  if (after.overlap > before.overlap) return 'overlap_skip';
  if (after.catchup > before.catchup) return 'catchup_window_exceeded';
  return null;
}

/**
 * Adds a snapshot. Of snapshots at the same progress the newest counts; those wholly before `keepFrom`
 * are dropped, except the newest of them (the "before" of a slot at keepFrom).
 */
export function addSnapshot(snapshots: ScheduleSnapshot[], s: ScheduleSnapshot, keepFrom: number): ScheduleSnapshot[] {
  const all = [...snapshots.filter((x) => x.processedTo !== s.processedTo), s].sort((a, b) => a.processedTo - b.processedTo);
  const firstKept = all.findIndex((x) => x.processedTo >= keepFrom);
  return firstKept <= 0 ? all.slice(firstKept < 0 ? Math.max(0, all.length - 1) : 0) : all.slice(firstKept - 1);
}
