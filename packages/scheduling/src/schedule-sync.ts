import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleSummary } from '@temporalio/client';
import { SCHEDULE_ID_PREFIX } from '@timekeeper/contracts';
import type { DesiredSchedule } from './desired-schedule';
import { createScheduleOptions, scheduleBody } from './schedule-options';

/**
 * A digest of what Temporal says a schedule is (spec, action, policies, paused). Stored after each of
 * our writes; a later describe with another digest means someone changed the schedule behind our back.
 */
export function fingerprint(desc: ScheduleDescription): string {
  const action = desc.action as unknown as Record<string, unknown>;
  const canonical = {
    spec: desc.spec,
    action: {
      workflowType: action.workflowType,
      taskQueue: action.taskQueue,
      args: action.args,
      workflowExecutionTimeout: action.workflowExecutionTimeout,
    },
    policies: desc.policies,
    paused: desc.state.paused,
  };
  return createHash('sha256').update(stableJson(canonical)).digest('hex');
}

/**
 * A digest of a schedule's spec alone (when it fires): the slot ledger re-plans when it changes. A
 * describe and a ListSchedules entry of the same schedule give the same digest.
 */
export function specDigest(desc: { spec?: ScheduleDescription['spec'] }): string {
  return createHash('sha256').update(stableJson(desc.spec)).digest('hex');
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleDescription | null> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

/**
 * Makes the Temporal schedule match the desired one (create, or update in place) and returns the
 * fingerprint of the result. Idempotent: applying the same desire twice changes nothing.
 */
export async function applySchedule(client: Client, desired: DesiredSchedule): Promise<string> {
  const handle = client.schedule.getHandle(desired.scheduleId);
  const existing = await describeSchedule(client, desired.scheduleId);
  if (!existing) {
    await client.schedule.create(createScheduleOptions(desired));
  } else {
    await handle.update(() => scheduleBody(desired));
  }
  return fingerprint(await handle.describe());
}

/** Deletes the schedule; already gone counts as done. Running workflows are left to finish. */
export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** Every Timekeeper schedule in the namespace (any installation), as ListSchedules summarises it: a few calls for thousands. */
export async function listTimekeeperSchedules(client: Client): Promise<Map<string, ScheduleSummary>> {
  const out = new Map<string, ScheduleSummary>();
  for await (const s of client.schedule.list({ pageSize: 1000, query: `ScheduleId STARTS_WITH "${SCHEDULE_ID_PREFIX}"` })) out.set(s.scheduleId, s);
  return out;
}

/** Ids of the schedules this installation owns (id prefix and memo), for orphan detection. */
export async function listOwnedScheduleIds(client: Client, instance: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of client.schedule.list()) {
    if (s.scheduleId.startsWith(SCHEDULE_ID_PREFIX) && s.memo?.instance === instance) ids.push(s.scheduleId);
  }
  return ids;
}
