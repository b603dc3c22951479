import { Client, Connection } from '@temporalio/client';
import { scheduleIdFor } from '@timekeeper/contracts';
import { matchingTimes } from '@timekeeper/scheduling';

export async function connectTemporal(address: string): Promise<Client> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  return new Client({ connection, namespace: 'default' });
}

/** The job's schedule's own fire times in (from, to], from Temporal's matcher. */
export async function fireTimes(client: Client, jobKey: string, from: Date, to: Date): Promise<Date[]> {
  if (to <= from) return [];
  const times = await matchingTimes(client, scheduleIdFor(jobKey), from, 1_000_000, to.getTime() - from.getTime() + 1);
  return times.filter((t) => t > from && t <= to);
}

/**
 * The pid of the worker process running the workflow's activity right now, or null. Workers are
 * identified as <pid>@<host> (the SDK's default), and only a started activity names its worker.
 */
export async function activityWorkerPid(client: Client, workflowId: string): Promise<number | null> {
  const d = await client.workflow.getHandle(workflowId).describe();
  for (const a of d.raw.pendingActivities ?? []) {
    // PENDING_ACTIVITY_STATE_STARTED = 2
    if (Number(a.state) !== 2 || !a.lastWorkerIdentity) continue;
    const pid = Number(a.lastWorkerIdentity.split('@')[0]);
    if (Number.isInteger(pid) && pid > 0) return pid;
  }
  return null;
}
