/**
 * Temporal's own matcher (ListScheduleMatchingTimes) over an existing schedule. It is correct on
 * ordinary days and wrong around clock changes (see dst-plan.ts), which is why the schedules we write
 * exclude the transition windows and carry those slots as explicit instants.
 */
import type { Client } from '@temporalio/client';

const DAY = 86_400_000;
// Temporal returns at most this many times per ListScheduleMatchingTimes call.
const LIST_CAP = 1000;
const DEFAULT_HORIZON_MS = 10 * 366 * DAY;

type ProtoTimestamp = NonNullable<Parameters<Client['workflowService']['listScheduleMatchingTimes']>[0]['startTime']>;

// protobufjs takes plain numbers for int64 fields; the type says Long only because it decodes to Long.
const toTimestamp = (ms: number): ProtoTimestamp =>
  ({ seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 }) as unknown as ProtoTimestamp;
const fromTimestamp = (ts: ProtoTimestamp): number => Number((ts.seconds ?? 0).toString()) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);

async function listPage(client: Client, scheduleId: string, after: number, until: number): Promise<number[]> {
  const res = await client.workflowService.listScheduleMatchingTimes({
    namespace: client.options.namespace,
    scheduleId,
    startTime: toTimestamp(after),
    endTime: toTimestamp(until),
  });
  return (res.startTime ?? []).map(fromTimestamp);
}

/**
 * The next `count` times (at or after `from`) an existing schedule matches, per Temporal. Pages
 * forward in growing windows until `count` times or `horizonMs` past `from` (default 10 years, so a
 * yearly cron still fills a page of 10).
 */
export async function matchingTimes(client: Client, scheduleId: string, from: Date, count: number, horizonMs = DEFAULT_HORIZON_MS): Promise<Date[]> {
  const out: Date[] = [];
  const horizon = from.getTime() + horizonMs;
  // The server returns times strictly after startTime (to the second): start 1 ms early to include `from`.
  let cursor = from.getTime() - 1;
  let window = DAY;
  while (out.length < count && cursor < horizon) {
    const end = Math.min(cursor + window, horizon);
    const got = await listPage(client, scheduleId, cursor, end);
    for (const t of got.slice(0, count - out.length)) out.push(new Date(t));
    // endTime is inclusive and startTime exclusive, so windows neither overlap nor leave gaps.
    cursor = got.length >= LIST_CAP ? got[got.length - 1] : end;
    window *= 8;
  }
  return out;
}

/** Every time in (after, until] an existing schedule matches, per Temporal (ms, ascending). */
export async function matchingTimesBetween(client: Client, scheduleId: string, after: number, until: number): Promise<number[]> {
  const out: number[] = [];
  let cursor = after;
  while (cursor < until) {
    const got = await listPage(client, scheduleId, cursor, until);
    out.push(...got);
    if (got.length < LIST_CAP) break;
    cursor = got[got.length - 1];
  }
  return out;
}
