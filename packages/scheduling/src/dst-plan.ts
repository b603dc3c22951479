/**
 * A job's slots around clock changes, by its DST policy: the one piece of wall-clock arithmetic that
 * Timekeeper does itself, because Temporal's matcher gets it wrong (server 1.32, service/worker/
 * scheduler/calendar.go: Go's time.Date picks an arbitrary occurrence of a repeated wall time and the
 * matcher then adds an hour on top of it, so e.g. `*\/5` in London fires 00:00Z, 01:05Z, 02:10Z on the
 * autumn change; spring-gap times are dropped, or moved by the gap in 30-minute zones).
 *
 * Around each transition we take a window of wall time (the changed hours plus 2 hours either side,
 * more than the hour by which Temporal's errors spill over) and list its slots ourselves:
 * - a wall time that exists once: one slot;
 * - one that occurs twice (fall back): `first`, `last` or `both` occurrences fire; an occurrence the
 *   policy drops is kept as a skipped slot, so it is shown rather than missing;
 * - one that does not exist (spring forward): `shift` runs it at the first instant after the gap (the
 *   transition; several named times there become one slot, and one slot with a time the cron names
 *   there), `skip` keeps it as a skipped slot at the transition.
 * The schedules then skip those wall ranges and fire the slots as explicit UTC instants (schedule-options.ts).
 */
import { createHash } from 'node:crypto';
import type { DstPolicy } from '@timekeeper/contracts';
import { namedWalls, type CronFields } from './cron';
import type { Transition, ZoneTimeline } from './timezone';

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Wall time kept out of Temporal's hands on each side of the changed hours. */
export const WINDOW_MARGIN_MS = 2 * HOUR;
/** The plan written into schedules covers transitions from this many months back (backfills) ... */
export const PLAN_MONTHS_BACK = 12;
/** ... to this many ahead of the start of the current month, so always at least 13 months ahead. */
export const PLAN_MONTHS_AHEAD = 14;

export type PlannedSlot = {
  /** The instant: the slot's nominal time (for a skipped gap slot, the transition). */
  at: number;
  fires: boolean;
  /** The wall time the cron names (a shifted slot: the wall time it runs at). */
  wall: number;
  ambiguous?: 'first' | 'last';
  /** Named wall times that do not exist, run at `at` instead. */
  shiftedFrom?: number[];
  /** A skipped slot whose wall time does not exist. */
  missing?: boolean;
};

/** Wall time [wallFrom, wallTo) around one or more transitions, and every slot the cron has in it. */
export type DstWindow = { wallFrom: number; wallTo: number; transitions: Transition[]; slots: PlannedSlot[] };

export type DstPlan = {
  windows: DstWindow[];
  /** The instants the plan covers: transitions in [from, until) are in it. */
  from: number;
  until: number;
  /** Identifies the windows and the slots that fire; a change means the schedules must be rewritten. */
  hash: string;
};

const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR;
const ceilHour = (t: number) => Math.ceil(t / HOUR) * HOUR;

/** The windows of transitions with `from` <= at < `to`, each with the cron's slots under the policy; windows without slots are left out. */
export function planWindows(fields: CronFields, zone: ZoneTimeline, policy: DstPolicy, from: number, to: number): DstWindow[] {
  const ranges = zone
    .transitionsIn(from, to)
    .map((tr) => ({
      wallFrom: floorHour(tr.at + Math.min(tr.before, tr.after)) - WINDOW_MARGIN_MS,
      wallTo: ceilHour(tr.at + Math.max(tr.before, tr.after)) + WINDOW_MARGIN_MS,
      transitions: [tr],
    }))
    .sort((a, b) => a.wallFrom - b.wallFrom);
  // Two transitions hours apart (none in current data) share one window.
  const merged: typeof ranges = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.wallFrom <= last.wallTo) {
      last.wallTo = Math.max(last.wallTo, r.wallTo);
      last.transitions.push(...r.transitions);
    } else merged.push(r);
  }
  return merged.map((r) => ({ ...r, slots: windowSlots(fields, zone, policy, r.wallFrom, r.wallTo, r.transitions) })).filter((w) => w.slots.length > 0);
}

function windowSlots(fields: CronFields, zone: ZoneTimeline, policy: DstPolicy, wallFrom: number, wallTo: number, transitions: Transition[]): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  const shifted = new Map<number, number[]>();
  for (const wall of namedWalls(fields, wallFrom, wallTo - SECOND)) {
    const instants = zone.instantsOf(wall);
    if (instants.length === 1) {
      slots.push({ at: instants[0], fires: true, wall });
    } else if (instants.length === 2) {
      slots.push({ at: instants[0], fires: policy.repeated !== 'last', wall, ambiguous: 'first' });
      slots.push({ at: instants[1], fires: policy.repeated !== 'first', wall, ambiguous: 'last' });
    } else {
      const gap = transitions.find((tr) => tr.after > tr.before && tr.at + tr.before <= wall && wall < tr.at + tr.after);
      if (!gap) throw new Error(`${zone.tz}: ${new Date(wall).toISOString()} (wall) has no instant and no gap`);
      if (policy.missing === 'skip') slots.push({ at: gap.at, fires: false, wall, missing: true });
      else shifted.set(gap.at, [...(shifted.get(gap.at) ?? []), wall]);
    }
  }
  // Shifted times run once at the end of the gap: in the slot the cron names there, if it names one.
  for (const [at, walls] of shifted) {
    const named = slots.find((s) => s.fires && s.at === at);
    if (named) named.shiftedFrom = walls;
    else slots.push({ at, fires: true, wall: zone.wallOf(at), shiftedFrom: walls });
  }
  return slots.sort((a, b) => a.at - b.at || a.wall - b.wall);
}

const addMonths = (t: number, months: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
};

/** The span a plan made at `now` covers: whole months, so the plan (and the schedules) change only when a month turns. */
export function planSpan(now: number): { from: number; until: number } {
  return { from: addMonths(now, -PLAN_MONTHS_BACK), until: addMonths(now, PLAN_MONTHS_AHEAD) };
}

/** The plan for a span; without a cron (an interval) there is nothing to plan. */
export function planFor(fields: CronFields | null, zone: ZoneTimeline | null, policy: DstPolicy, span: { from: number; until: number }): DstPlan {
  const windows = fields && zone ? planWindows(fields, zone, policy, span.from, span.until) : [];
  const identity = windows.map((w) => [w.wallFrom, w.wallTo, w.slots.filter((s) => s.fires).map((s) => s.at)]);
  return { windows, ...span, hash: createHash('sha256').update(JSON.stringify(identity)).digest('hex') };
}

/** Is this instant's wall time inside one of the windows (so Temporal's own answer for it does not count)? */
export function inWindow(windows: DstWindow[], wall: number): boolean {
  return windows.some((w) => wall >= w.wallFrom && wall < w.wallTo);
}

/** Lead time the zone data must cover around a span for the windows at its edges. */
export const ZONE_MARGIN_MS = 2 * DAY;
