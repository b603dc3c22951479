import { describe, expect, it } from 'vitest';
import { addSnapshot, bracket, countedBetween, creationBaseline, type ScheduleSnapshot } from './schedule-progress';

// Brackets are placed by the scheduler's own progress (its next action time), never by when we read.
const T = Date.UTC(2026, 0, 1, 0, 0, 10);
const snap = (processedTo: number, overlap = 0, catchup = 0, paused = false): ScheduleSnapshot => ({ processedTo, overlap, catchup, paused });
const baseline = creationBaseline(new Date(T - 60_000));

describe('schedule progress brackets', () => {
  it('a skip is attributed to the slot whatever the read times were', () => {
    // Read "before" the slot by our clock but after the scheduler processed it: its counter already
    // includes the skip. By progress it is an "after" snapshot, so the skip is still seen.
    const lateRead = snap(T + 5_000, 1);
    const earlier = snap(T, 0);
    const { before, after } = bracket([earlier, lateRead], T, baseline);
    expect(before).toBe(earlier);
    expect(after).toBe(lateRead);
    expect(countedBetween(before, after!)).toBe('overlap_skip');
  });

  it('nothing is concluded until the scheduler has processed the slot', () => {
    expect(bracket([snap(T - 5_000), snap(T)], T, baseline).after).toBeNull();
  });

  it('with no snapshot before the slot, the schedule at creation (counters at zero) is the baseline', () => {
    const { before, after } = bracket([snap(T + 5_000, 0, 2)], T, baseline);
    expect(before).toEqual(baseline);
    expect(countedBetween(before, after!)).toBe('catchup_window_exceeded');
  });

  it('keeps the newest snapshot of a progress point and the last one before the kept range', () => {
    let list: ScheduleSnapshot[] = [];
    list = addSnapshot(list, snap(T - 10_000), 0);
    list = addSnapshot(list, snap(T, 0), 0);
    list = addSnapshot(list, snap(T, 1), 0);
    expect(list).toEqual([snap(T - 10_000), snap(T, 1)]);
    list = addSnapshot(list, snap(T + 10_000, 1), T + 5_000);
    expect(list).toEqual([snap(T, 1), snap(T + 10_000, 1)]);
  });
});
