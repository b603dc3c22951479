import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions, type ScheduleSummary, type ScheduleUpdateOptions } from '@temporalio/client';
import { SCHEDULE_ID_PREFIX } from '@timekeeper/contracts';
import type { DesiredSchedule } from './desired-schedule';
import { createDstScheduleOptions, createScheduleOptions, dstScheduleBody, scheduleBody } from './schedule-options';

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
 * A digest of a job's schedules as Temporal describes them: the main one and the clock-change
 * companion (or its absence). Null when the main schedule does not exist.
 */
export async function jobFingerprint(client: Client, scheduleId: string, dstScheduleId: string): Promise<string | null> {
  const [main, dst] = await Promise.all([describeSchedule(client, scheduleId), describeSchedule(client, dstScheduleId)]);
  return main ? jobFingerprintOf(main, dst) : null;
}

/** The job fingerprint of schedules already described (the companion null when it does not exist). */
export function jobFingerprintOf(main: ScheduleDescription, dst: ScheduleDescription | null): string {
  return createHash('sha256').update(`${fingerprint(main)}:${dst ? fingerprint(dst) : 'none'}`).digest('hex');
}

/**
 * Makes the job's Temporal schedules match the desired ones (create, update in place, or delete a
 * companion no longer needed) and returns their fingerprint. Idempotent: applying the same desire
 * twice changes nothing. The companion is written before the main schedule stops firing a window and
 * removed only after it fires it again, so no slot falls between; a slot both would start has one
 * workflow id, which Temporal refuses to start twice. Four round trips: describe both, write the
 * companion, write the main one (then delete the companion), describe both.
 */
export async function applySchedule(client: Client, desired: DesiredSchedule): Promise<string> {
  const dst = createDstScheduleOptions(desired);
  const [mainExists, dstExists] = await Promise.all([describeSchedule(client, desired.scheduleId), describeSchedule(client, desired.dstScheduleId)]);
  const write = async (exists: unknown, options: ScheduleOptions, body: ScheduleUpdateOptions) => {
    if (exists) await client.schedule.getHandle(options.scheduleId).update(() => body);
    else await client.schedule.create(options);
  };
  if (dst) await write(dstExists, dst, dstScheduleBody(desired)!);
  await write(mainExists, createScheduleOptions(desired), scheduleBody(desired));
  if (!dst && dstExists) await deleteSchedule(client, desired.dstScheduleId);
  return (await jobFingerprint(client, desired.scheduleId, desired.dstScheduleId))!;
}

/** Deletes the schedule; already gone counts as done. Running workflows are left to finish. */
export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** Every Timekeeper schedule in the namespace (any installation; DST companions included), as ListSchedules summarises it: a few calls for thousands. */
export async function listTimekeeperSchedules(client: Client): Promise<Map<string, ScheduleSummary>> {
  const out = new Map<string, ScheduleSummary>();
  for await (const s of client.schedule.list({ pageSize: 1000, query: `ScheduleId STARTS_WITH "${SCHEDULE_ID_PREFIX}"` })) out.set(s.scheduleId, s);
  return out;
}

/** Ids of the schedules this installation owns (id prefix and memo; companions included), for orphan detection. */
export async function listOwnedScheduleIds(client: Client, instance: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of client.schedule.list()) {
    if (s.scheduleId.startsWith(SCHEDULE_ID_PREFIX) && s.memo?.instance === instance) ids.push(s.scheduleId);
  }
  return ids;
}
