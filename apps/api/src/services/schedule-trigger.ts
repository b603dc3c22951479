import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, ScheduleDescription, ScheduleOverlapPolicy } from '@temporalio/client';
import type { TriggerJobResult } from '@timekeeper/contracts';
import type Redis from 'ioredis';
import { ApiError, conflict } from '../errors';

// Temporal names a run a schedule starts `<workflowId>-<nominal second>` and, when that name is taken,
// drops the start without a word (service/worker/scheduler/workflow.go, startWorkflow). So two triggers
// of one job in the same second, or a trigger in the second of a cron fire, make one run where the
// caller asked for two. Run now therefore goes one trigger of a job at a time (a Redis lock every API
// process shares), sends each only in a second that holds no other start of the schedule, and reads the
// schedule back to answer what Temporal did with it.

/** Clock difference allowed between this process and the Temporal server when choosing a free second. */
const CLOCK_MARGIN_MS = 150;
/** How long to read the schedule back before answering `unconfirmed` (Temporal acts within a second unless loaded). */
const CONFIRM_MS = 10_000;
/** How long a trigger waits for the one before it (of the same job) to be answered. */
const LOCK_WAIT_MS = 15_000;
const POLL_MS = 100;

export type TriggerDeps = {
  temporal: Client;
  redis: Redis;
  /** Key prefix of this installation's trigger locks, e.g. `tk:<instance>:trigger:`. */
  lockPrefix: string;
  /** Runs one call to Temporal under its deadline (temporalCall). */
  call: <T>(fn: () => Promise<T>) => Promise<T>;
};

const second = (t: number) => Math.floor(t / 1000) * 1000;

/**
 * The earliest time a trigger may be sent so that its run's second holds no other start: not in the
 * second of a recent start, nor in (or just before) the second of the next fire. The trigger is named by
 * the time Temporal handles it, a little after it is sent, hence the second of slack before a fire.
 */
export function freeSendTime(now: number, taken: Date[]): number {
  let at = now;
  for (const t of taken.map((d) => second(d.getTime())).sort((a, b) => a - b)) {
    if (at >= t - 1000 && at < t + 1000 + CLOCK_MARGIN_MS) at = t + 1000 + CLOCK_MARGIN_MS;
  }
  return at;
}

/** What the schedule says happened to the trigger sent at `sentAt` after `before` was read, or null while it says nothing. */
export function triggerOutcome(before: ScheduleDescription, after: ScheduleDescription, sentAt: number): TriggerJobResult | null {
  const known = new Set([...before.info.recentActions.map((a) => a.action.workflow), ...before.info.runningActions.map((a) => a.workflow)].map((w) => w.workflowId));
  const fires = new Set(before.info.nextActionTimes.map((d) => d.getTime()));
  // A trigger's run is named by the time Temporal handled it, after it was sent. A start the schedule made
  // on its own meanwhile is not this trigger's: a fire that came due, or a backfilled slot (a past time).
  const ours = (a: ScheduleDescription['info']['recentActions'][number]) =>
    !known.has(a.action.workflow.workflowId) && !fires.has(a.scheduledAt.getTime()) && a.scheduledAt.getTime() >= sentAt - CLOCK_MARGIN_MS;
  const started = after.info.recentActions.find(ours);
  if (started) return { outcome: 'started', workflowId: started.action.workflow.workflowId };
  if (after.info.numActionsSkippedOverlap > before.info.numActionsSkippedOverlap) return { outcome: 'skipped', workflowId: null };
  if (Number(after.raw.info?.bufferSize ?? 0) > Number(before.raw.info?.bufferSize ?? 0)) return { outcome: 'queued', workflowId: null };
  return null;
}

/** Triggers the schedule once and answers what Temporal did with it (see the comment at the top). */
export async function triggerSchedule(deps: TriggerDeps, scheduleId: string, overlap: ScheduleOverlapPolicy | undefined): Promise<TriggerJobResult> {
  const release = await lock(deps, scheduleId);
  try {
    const handle = deps.temporal.schedule.getHandle(scheduleId);
    const before = await deps.call(() => handle.describe());
    const taken = [...before.info.recentActions.map((a) => a.scheduledAt), ...before.info.nextActionTimes.slice(0, 1)];
    const sendAt = freeSendTime(Date.now(), taken);
    if (sendAt > Date.now()) await sleep(sendAt - Date.now());
    const sentAt = Date.now();
    await deps.call(() => handle.trigger(overlap));
    const deadline = Date.now() + CONFIRM_MS;
    for (;;) {
      const outcome = triggerOutcome(before, await deps.call(() => handle.describe()), sentAt);
      if (outcome) return outcome;
      if (Date.now() >= deadline) return { outcome: 'unconfirmed', workflowId: null };
      await sleep(POLL_MS);
    }
  } finally {
    await release();
  }
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Waits for this job's trigger lock. Its lease outlasts a trigger's longest answer, so a process that
 * dies holding it only delays the next trigger. Without Redis, triggers go unlocked: spacing still
 * holds for triggers one after another, and only simultaneous ones may share a second.
 */
async function lock(deps: TriggerDeps, scheduleId: string): Promise<() => Promise<void>> {
  const key = `${deps.lockPrefix}${scheduleId}`;
  const token = randomBytes(12).toString('hex');
  const leaseMs = CONFIRM_MS + 5_000;
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    while ((await deps.redis.set(key, token, 'PX', leaseMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw conflict('trigger_in_progress', 'Another Run now of this job is still waiting for Temporal; try again shortly.');
      await sleep(POLL_MS);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return async () => {};
  }
  return async () => {
    await deps.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  };
}
