import { ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleUpdateOptions } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, type OverlapPolicy } from '@timekeeper/contracts';
import type { DesiredSchedule } from './desired-schedule';

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};
export const overlapToTemporal = (p: OverlapPolicy): ScheduleOverlapPolicy => OVERLAP[p];

/** The part of a schedule that create and update share. */
export function scheduleBody(d: DesiredSchedule): ScheduleUpdateOptions {
  return {
    spec: {
      ...(d.temporalCron ? { cronExpressions: [d.temporalCron] } : {}),
      ...(d.intervalMs ? { intervals: [{ every: d.intervalMs }] } : {}),
      timezone: d.timezone,
      jitter: d.jitterMs,
    },
    action: {
      type: 'startWorkflow',
      workflowType: RUN_WORKFLOW_TYPE,
      // Temporal appends the nominal time, so one slot can never start twice at once.
      workflowId: d.scheduleId,
      taskQueue: d.taskQueue,
      args: [d.input],
      workflowExecutionTimeout: d.runTimeoutMs,
      searchAttributes: { TimekeeperJobKey: [d.jobKey] },
    },
    policies: { overlap: overlapToTemporal(d.overlapPolicy), catchupWindow: d.catchupWindowMs, pauseOnFailure: false },
    state: { paused: d.paused, note: d.pauseNote ?? undefined },
  };
}

export function createScheduleOptions(d: DesiredSchedule): ScheduleOptions {
  const body = scheduleBody(d);
  return { scheduleId: d.scheduleId, ...body, memo: { managedBy: 'timekeeper', jobKey: d.jobKey, instance: d.instance } } as ScheduleOptions;
}
