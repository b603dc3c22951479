import type { OverlapPolicy, RunInput } from '@timekeeper/contracts';

/**
 * Everything a Temporal Schedule is built from, in plain values (durations in ms). The API maps a
 * stored job definition to this; this package never sees the database.
 */
export type DesiredSchedule = {
  scheduleId: string;
  jobKey: string;
  /** Which Timekeeper installation owns the schedule (several may share a Temporal namespace). */
  instance: string;
  /** Already normalised for Temporal (see checkCron). */
  temporalCron: string | null;
  intervalMs: number | null;
  timezone: string;
  jitterMs: number;
  overlapPolicy: OverlapPolicy;
  catchupWindowMs: number;
  paused: boolean;
  pauseNote: string | null;
  runTimeoutMs: number;
  taskQueue: string;
  input: RunInput;
};
