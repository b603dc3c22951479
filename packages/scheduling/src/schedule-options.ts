import { ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleUpdateOptions } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, type OverlapPolicy } from '@timekeeper/contracts';
import { instantCalendars, wallRangeCalendars } from './calendars';
import type { DesiredSchedule } from './desired-schedule';
import type { DstWindow } from './dst-plan';

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};
export const overlapToTemporal = (p: OverlapPolicy): ScheduleOverlapPolicy => OVERLAP[p];

/** The wall ranges the main schedule leaves to the companion, as skip calendars in the job's zone. */
export const windowSkips = (windows: DstWindow[]) => windows.flatMap((w) => wallRangeCalendars(w.wallFrom, w.wallTo, 'clock change: fired by the .dst schedule'));

/** The instants the companion fires. */
export const windowInstants = (windows: DstWindow[]) => windows.flatMap((w) => w.slots.filter((s) => s.fires).map((s) => s.at));

/** Action, policies and state: the same on the main schedule and its companion. */
function common(d: DesiredSchedule): Omit<ScheduleUpdateOptions, 'spec'> {
  return {
    action: {
      type: 'startWorkflow',
      workflowType: RUN_WORKFLOW_TYPE,
      // Temporal appends the nominal time, so one slot can never start twice at once; both schedules
      // use the main id here, so a slot has the same workflow id whichever of them starts it.
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

/** The main schedule: the cron in the job's zone minus the clock-change windows, or the interval. */
export function scheduleBody(d: DesiredSchedule): ScheduleUpdateOptions {
  const skip = windowSkips(d.dstWindows);
  return {
    spec: {
      ...(d.temporalCron ? { cronExpressions: [d.temporalCron] } : {}),
      ...(d.intervalMs ? { intervals: [{ every: d.intervalMs }] } : {}),
      timezone: d.timezone,
      jitter: d.jitterMs,
      ...(skip.length ? { skip } : {}),
    },
    ...common(d),
  } as ScheduleUpdateOptions;
}

/** The companion: the windows' firing slots as UTC instants; null when there are none. */
export function dstScheduleBody(d: DesiredSchedule): ScheduleUpdateOptions | null {
  const instants = windowInstants(d.dstWindows);
  if (!instants.length) return null;
  return { spec: { calendars: instantCalendars(instants), timezone: 'UTC', jitter: d.jitterMs }, ...common(d) } as ScheduleUpdateOptions;
}

const memo = (d: DesiredSchedule, extra: Record<string, string> = {}) => ({ managedBy: 'timekeeper', jobKey: d.jobKey, instance: d.instance, ...extra });

export function createScheduleOptions(d: DesiredSchedule): ScheduleOptions {
  return { scheduleId: d.scheduleId, ...scheduleBody(d), memo: memo(d) } as ScheduleOptions;
}

export function createDstScheduleOptions(d: DesiredSchedule): ScheduleOptions | null {
  const body = dstScheduleBody(d);
  return body ? ({ scheduleId: d.dstScheduleId, ...body, memo: memo(d, { companionOf: d.scheduleId }) } as ScheduleOptions) : null;
}
