import type { OverlapPolicy, RunInput } from '@timekeeper/contracts';
import type { DstWindow } from './dst-plan';

/**
 * Everything a job's Temporal Schedules are built from, in plain values (durations in ms). The API maps
 * a stored job definition to this; this package never sees the database.
 */
export type DesiredSchedule = {
  scheduleId: string;
  /** The companion that fires `dstWindows`' slots (see dst-plan.ts); absent when there are none. */
  dstScheduleId: string;
  jobKey: string;
  /** Which Timekeeper installation owns the schedule (several may share a Temporal namespace). */
  instance: string;
  /** Already normalised for Temporal (see checkCron). */
  temporalCron: string | null;
  intervalMs: number | null;
  timezone: string;
  /** Clock-change windows: skipped by the main schedule, their firing slots carried by the companion. */
  dstWindows: DstWindow[];
  jitterMs: number;
  overlapPolicy: OverlapPolicy;
  catchupWindowMs: number;
  paused: boolean;
  pauseNote: string | null;
  runTimeoutMs: number;
  taskQueue: string;
  input: RunInput;
};
