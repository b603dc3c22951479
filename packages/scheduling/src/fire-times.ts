/**
 * Fire times of a Temporal Schedule: the instants come from Temporal's own matcher
 * (ListScheduleMatchingTimes), never from ours, and are then annotated with what DST does to them.
 *
 * What Temporal 1.32 was observed to do (fire-times.test.ts pins it down):
 * - a wall time that does not exist (spring forward) is skipped, except where Go's clock
 *   normalisation keeps it in the same hour (30-minute shifts, Lord Howe): then it fires late, "shifted";
 * - a repeated wall time (fall back) fires twice in zones west of UTC (New York) but only once east of
 *   it (London, Sydney), and around a fall back some valid slots are not fired at all.
 * So we do not predict: we compare what Temporal returned with what the cron names, around each
 * transition, and say so on the entry.
 */
import type { Client } from '@temporalio/client';
import { cronMatchesWall, parseCron, type CronFields } from './cron';
import {
  describeTransition,
  formatOffset,
  formatWall,
  formatWallClock,
  formatWallDate,
  ZoneTimeline,
  type Transition,
} from './timezone';

export type SkippedSlot = {
  /** The local wall time the cron names, e.g. "2026-03-08T02:30:00". */
  wall: string;
  /** Set when that wall time exists (e.g. the second 01:00 after a fall back) but Temporal does not fire. */
  utc?: string;
};

export type FireTime = {
  utc: string;
  local: string;
  timezone: string;
  dayLengthHours: number;
  /** ambiguous = this wall time occurs twice that day; shifted = not a time the cron names (the named one did not exist). */
  wallTime: 'normal' | 'ambiguous' | 'shifted';
  note?: string;
  /** Slots the cron names, between the previous fire time and this one, that Temporal does not fire. */
  skippedBefore?: SkippedSlot[];
};

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTE = 60_000;
// Temporal returns at most this many times per ListScheduleMatchingTimes call.
const LIST_CAP = 1000;
const DEFAULT_HORIZON_MS = 10 * 366 * DAY;
// Temporal's DST oddities stay within an hour or so of a transition; look a little wider.
const TRANSITION_MARGIN = 3 * HOUR;

type ProtoTimestamp = NonNullable<Parameters<Client['workflowService']['listScheduleMatchingTimes']>[0]['startTime']>;

// protobufjs takes plain numbers for int64 fields; the type says Long only because it decodes to Long.
const toTimestamp = (ms: number): ProtoTimestamp =>
  ({ seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 }) as unknown as ProtoTimestamp;
const fromTimestamp = (ts: ProtoTimestamp): number => Number((ts.seconds ?? 0).toString()) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);

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
    const res = await client.workflowService.listScheduleMatchingTimes({
      namespace: client.options.namespace,
      scheduleId,
      startTime: toTimestamp(cursor),
      endTime: toTimestamp(end),
    });
    const got = (res.startTime ?? []).map(fromTimestamp);
    for (const t of got.slice(0, count - out.length)) out.push(new Date(t));
    // endTime is inclusive and startTime exclusive, so windows neither overlap nor leave gaps.
    cursor = got.length >= LIST_CAP ? got[got.length - 1] : end;
    window *= 8;
  }
  return out;
}

/**
 * An existing schedule's next fire times, annotated. Pass the job's cron so shifted and skipped slots
 * can be found, but not when the schedule has jitter: jittered times never sit on the named wall time.
 */
export async function listFireTimes(
  client: Client,
  opts: { scheduleId: string; timezone: string; cron?: string; jitterMs?: number; count: number; from?: Date },
): Promise<FireTime[]> {
  const from = opts.from ?? new Date();
  // One extra time tells whether the last entry's DST twin fires; it is dropped afterwards.
  const times = await matchingTimes(client, opts.scheduleId, from, opts.count + 1);
  const cron = opts.jitterMs ? undefined : opts.cron;
  return annotateFireTimes(times, opts.timezone, cron, { from }).slice(0, opts.count);
}

type Slot = { wall: number; at: number; exists: boolean; tr: Transition };

/**
 * Flags each time (ascending, as Temporal returns them) with its local day's length, whether its wall
 * time is ambiguous or not one the cron names, and the named slots Temporal skipped just before it.
 * `from` is where the list starts (default: its first time), so slots skipped before the first entry count.
 */
export function annotateFireTimes(times: Date[], timezone: string, cron?: string, opts: { from?: Date } = {}): FireTime[] {
  if (times.length === 0) return [];
  const fields = cron ? parseCron(cron) : undefined;
  const ms = times.map((t) => t.getTime());
  const lower = Math.min(opts.from?.getTime() ?? ms[0], ms[0]);
  const upper = ms[ms.length - 1];
  const zone = new ZoneTimeline(timezone, lower - 2 * DAY, upper + 2 * DAY);
  const returned = new Set(ms);

  // Slots the cron names near each transition that Temporal did not return, filed under the next fire time.
  const skippedAt = new Map<number, Slot[]>();
  if (fields) {
    for (const tr of zone.transitionsIn(lower - TRANSITION_MARGIN, upper + TRANSITION_MARGIN)) {
      for (const slot of missedSlots(zone, fields, tr, returned, lower, upper)) {
        const next = ms.find((t) => t >= slot.at);
        if (next !== undefined) skippedAt.set(next, [...(skippedAt.get(next) ?? []), slot]);
      }
    }
  }

  return ms.map((t) => {
    const offset = zone.offsetAt(t);
    const wall = t + offset;
    const dayStart = zone.startOfDay(wall);
    const dayTransitions = zone.transitionsIn(dayStart, zone.startOfDay(wall + DAY));
    const instants = zone.instantsOf(wall);
    const twin = instants.find((i) => i !== t);
    const shifted = !!fields && !cronMatchesWall(fields, wall);
    const skipped = skippedAt.get(t) ?? [];
    const notes: string[] = [];

    if (shifted) {
      const gone = skipped.filter((s) => !s.exists);
      notes.push(
        gone.length > 0
          ? `${nonexistent(gone, timezone)}; Temporal fires at ${formatWallClock(wall)} instead`
          : `Temporal fires at ${formatWallClock(wall)} (${formatOffset(offset)}), a wall time the cron does not name`,
      );
    } else if (twin !== undefined) {
      notes.push(`${ambiguous(wall, timezone, dayTransitions)}; ${twinSentence(t, twin, zone, !!fields, returned, lower, upper)}`);
    }
    // A shifted entry already explains the missing slots it replaces.
    const reported = shifted ? skipped.filter((s) => s.exists) : skipped;
    // The twin sentence already says when this entry's own twin is not fired.
    notes.push(...skippedSentences(reported.filter((s) => s.at !== twin), zone, timezone));
    const dayLengthHours = zone.dayLengthHours(wall);
    if (notes.length === 0 && dayLengthHours !== 24) {
      notes.push(`${formatWallDate(wall)} is ${dayLengthHours} hours long in ${timezone} (${dayTransitions.map(describeTransition).join(', ')})`);
    }

    const entry: FireTime = {
      utc: new Date(t).toISOString(),
      local: formatWall(wall) + formatOffset(offset),
      timezone,
      dayLengthHours,
      wallTime: shifted ? 'shifted' : twin !== undefined ? 'ambiguous' : 'normal',
    };
    if (notes.length > 0) entry.note = notes.join('. ');
    if (reported.length > 0) {
      entry.skippedBefore = reported.map((s) => (s.exists ? { wall: formatWall(s.wall), utc: new Date(s.at).toISOString() } : { wall: formatWall(s.wall) }));
    }
    return entry;
  });
}

/**
 * Wall times near a transition that the cron names but Temporal did not return, within [lower, upper]:
 * nonexistent ones (placed at the transition) and existing instants Temporal passed over.
 */
function missedSlots(zone: ZoneTimeline, fields: CronFields, tr: Transition, returned: Set<number>, lower: number, upper: number): Slot[] {
  const slots: Slot[] = [];
  const from = tr.at + Math.min(tr.before, tr.after) - TRANSITION_MARGIN;
  const to = tr.at + Math.max(tr.before, tr.after) + TRANSITION_MARGIN;
  for (const wall of namedWalls(fields, from, to)) {
    const instants = zone.instantsOf(wall);
    if (instants.length === 0) {
      if (tr.at >= lower && tr.at <= upper) slots.push({ wall, at: tr.at, exists: false, tr });
      continue;
    }
    for (const at of instants) if (at >= lower && at <= upper && !returned.has(at)) slots.push({ wall, at, exists: true, tr });
  }
  return slots;
}

/** Wall times in [from, to] the cron names, minute by minute, then its seconds within each minute. */
function namedWalls(fields: CronFields, from: number, to: number): number[] {
  const out: number[] = [];
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minuteFields = { ...fields, second: new Set([0]) };
  for (let minute = Math.floor(from / MINUTE) * MINUTE; minute <= to; minute += MINUTE) {
    if (!cronMatchesWall(minuteFields, minute)) continue;
    for (const s of seconds) {
      const wall = minute + s * 1000;
      if (wall >= from && wall <= to) out.push(wall);
    }
  }
  return out;
}

function ambiguous(wall: number, tz: string, dayTransitions: Transition[]): string {
  const back = dayTransitions.filter((tr) => tr.after < tr.before);
  return `${formatWallClock(wall)} occurs twice on ${formatWallDate(wall)} in ${tz} (${back.map(describeTransition).join(', ')})`;
}

function twinSentence(t: number, twin: number, zone: ZoneTimeline, fromCron: boolean, returned: Set<number>, lower: number, upper: number): string {
  const which = t < twin ? 'first' : 'second';
  const here = formatOffset(zone.offsetAt(t));
  const there = formatOffset(zone.offsetAt(twin));
  if (!fromCron) return `this run is the ${which} one (${here})`;
  if (returned.has(twin)) return `Temporal fires at both (${which === 'first' ? `${here} and ${there}` : `${there} and ${here}`})`;
  if (twin >= lower && twin <= upper) return `Temporal fires only at the ${which} one (${here}), not at ${there}`;
  return `the other one (${there}) is outside this list`;
}

function nonexistent(slots: Slot[], tz: string): string {
  const names = slots.map((s) => formatWallClock(s.wall)).join(', ');
  const verb = slots.length === 1 ? 'does' : 'do';
  return `${names} ${verb} not exist on ${formatWallDate(slots[0].wall)} in ${tz} (${describeTransition(slots[0].tr)})`;
}

function skippedSentences(slots: Slot[], zone: ZoneTimeline, tz: string): string[] {
  const sentences: string[] = [];
  const gone = slots.filter((s) => !s.exists);
  if (gone.length > 0) sentences.push(`${nonexistent(gone, tz)}; Temporal skips ${gone.length === 1 ? 'it' : 'them'}`);
  const passed = slots.filter((s) => s.exists);
  if (passed.length > 0) {
    const names = passed.map((s) => `${formatWallClock(s.wall)} (${formatOffset(zone.offsetAt(s.at))})`).join(', ');
    sentences.push(
      `Temporal does not fire at ${names} on ${formatWallDate(passed[0].wall)}, although the cron names ${passed.length === 1 ? 'it' : 'them'} (${describeTransition(passed[0].tr)})`,
    );
  }
  return sentences;
}
