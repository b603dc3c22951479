/**
 * The one answer to "which slots does this job have?": previews, next-runs, the ledger's planned rows
 * and the schedules the syncer writes all come from here, so what is shown is what starts.
 *
 * A cron's slots are Temporal's own matching times (a throwaway paused schedule with the same spec as
 * the job's main schedule, without jitter: slots are nominal times) outside the clock-change windows,
 * plus the windows' slots by the job's DST policy (dst-plan.ts), which the companion schedule fires.
 * Zone data is the Temporal server's (zone-data.ts). An interval's slots are Temporal's matching
 * times, untouched: intervals run in absolute time.
 */
import type { Client, ScheduleSpec } from '@temporalio/client';
import type { DstPolicy, ExpectedSlot } from '@timekeeper/contracts';
import { checkCron, parseCron, type CronFields } from './cron';
import { inWindow, planFor, planSpan, planWindows, ZONE_MARGIN_MS, type DstPlan, type DstWindow, type PlannedSlot } from './dst-plan';
import { matchingTimes, matchingTimesBetween } from './matching-times';
import { windowSkips } from './schedule-options';
import { withPreviewSchedule } from './throwaway-schedule';
import { describeTransition, formatOffset, formatWall, formatWallClock, formatWallDate, type ZoneTimeline } from './timezone';
import { intlZones, type ZoneSource } from './zone-data';

const DAY = 86_400_000;
const LIST_HORIZON_MS = 10 * 366 * DAY;
// Temporal's calendar ends with 2099; so does every span we ask about.
const LAST_INSTANT = Date.UTC(2100, 0, 1) - 1;

export type SlotSchedule = { cron?: string | null; intervalMs?: number | null; timezone: string; dst: DstPolicy };
export type SlotRange = { from: Date; to: Date } | { from: Date; count: number };

/** What the slot planner needs of a stored job (the API's and alerting's one mapping): its schedule and DST policy. */
export function slotScheduleOf(j: { cron: string | null; intervalMs: number | null; timezone: string; dstRepeated: DstPolicy['repeated']; dstMissing: DstPolicy['missing'] }): SlotSchedule {
  return { cron: j.cron, intervalMs: j.intervalMs, timezone: j.timezone, dst: { repeated: j.dstRepeated, missing: j.dstMissing } };
}

export class SlotPlanner {
  readonly zones: ZoneSource;

  constructor(
    private readonly client: Client,
    /** `instance`: owner tag of its throwaway schedules (see sweepStalePreviews). */
    private readonly opts: { taskQueue: string; zones?: ZoneSource; instance?: string },
  ) {
    this.zones = opts.zones ?? intlZones;
  }

  /** The clock-change windows the job's schedules carry when written at `now` (see planSpan). */
  async plan(schedule: SlotSchedule, now: Date): Promise<DstPlan> {
    const span = planSpan(now.getTime());
    // An interval runs in absolute time: nothing to plan.
    if (!schedule.cron) return planFor(null, null, schedule.dst, span);
    const zone = await this.zones.timeline(schedule.timezone, span.from - ZONE_MARGIN_MS, span.until + ZONE_MARGIN_MS);
    return planFor(parseCron(schedule.cron), zone, schedule.dst, span);
  }

  /**
   * The job's slots over a range: every slot that fires, and every slot its DST policy skips, ascending.
   * `scheduleId` names the job's own main schedule to match against instead of a throwaway copy (one call
   * instead of three): only when it is in step with `schedule` and has no jitter, as matching times
   * carry the jitter and slots are nominal times. Windows are applied by this plan either way.
   */
  async expectedSlots(schedule: SlotSchedule, range: SlotRange, opts: { scheduleId?: string } = {}): Promise<ExpectedSlot[]> {
    const from = range.from.getTime();
    if (schedule.intervalMs) return this.intervalSlots(schedule, schedule.intervalMs, range, opts.scheduleId);
    if (!schedule.cron) throw new RangeError('a schedule needs a cron or an interval');
    const fields = parseCron(schedule.cron);
    const temporalCron = (checkCron(schedule.cron) as { temporalCron: string }).temporalCron;
    // The throwaway has the job's own skips for the plan's span; anything later is filtered the same way below.
    const span = { from, until: Math.min(LAST_INSTANT, 'to' in range ? range.to.getTime() : planSpan(from).until) };
    const planned = await this.windows(fields, schedule, span.from, span.until);
    const spec: ScheduleSpec = { cronExpressions: [temporalCron], timezone: schedule.timezone, ...skipsOf(planned.windows) };
    return this.withSchedule(spec, opts.scheduleId, async (id) => {
      if ('to' in range) {
        const times = await matchingTimesBetween(this.client, id, from - 1000, span.until);
        return this.merge(schedule, planned, times.filter((t) => t >= from), from, span.until);
      }
      // Count: Temporal's next times, then the windows up to the last of them; ask for more if the windows took some.
      for (let want = range.count + 1; ; want *= 2) {
        const times = (await matchingTimes(this.client, id, range.from, want, LIST_HORIZON_MS)).map((d) => d.getTime());
        const exhausted = times.length < want;
        const end = Math.min(LAST_INSTANT, exhausted ? from + LIST_HORIZON_MS : times[times.length - 1]);
        const windows = end <= span.until ? planned : await this.windows(fields, schedule, from, end);
        const slots = this.merge(schedule, windows, times, from, end);
        if (slots.length >= range.count || exhausted) return slots.slice(0, range.count);
      }
    });
  }

  private async windows(fields: CronFields, schedule: SlotSchedule, from: number, to: number): Promise<{ windows: DstWindow[]; zone: ZoneTimeline }> {
    const zone = await this.zones.timeline(schedule.timezone, from - ZONE_MARGIN_MS, to + ZONE_MARGIN_MS);
    return { windows: planWindows(fields, zone, schedule.dst, from - DAY, to + DAY), zone };
  }

  /** Temporal's times outside the windows plus the windows' slots, within [from, to]. */
  private merge(schedule: SlotSchedule, planned: { windows: DstWindow[]; zone: ZoneTimeline }, times: number[], from: number, to: number): ExpectedSlot[] {
    const { windows, zone } = planned;
    const ordinary: PlannedSlot[] = times.filter((t) => !inWindow(windows, zone.wallOf(t))).map((at) => ({ at, fires: true, wall: zone.wallOf(at) }));
    const special = windows.flatMap((w) => w.slots).filter((s) => s.at >= from && s.at <= to);
    return [...ordinary, ...special].sort((a, b) => a.at - b.at || a.wall - b.wall).map((s) => describeSlot(s, zone, schedule));
  }

  private withSchedule<T>(spec: ScheduleSpec, scheduleId: string | undefined, fn: (id: string) => Promise<T>): Promise<T> {
    return scheduleId ? fn(scheduleId) : withPreviewSchedule(this.client, spec, this.opts.taskQueue, fn, this.opts.instance);
  }

  private async intervalSlots(schedule: SlotSchedule, every: number, range: SlotRange, scheduleId: string | undefined): Promise<ExpectedSlot[]> {
    const from = range.from.getTime();
    const spec: ScheduleSpec = { intervals: [{ every }], timezone: schedule.timezone };
    const times = await this.withSchedule(spec, scheduleId, async (id) =>
      'to' in range
        ? (await matchingTimesBetween(this.client, id, from - 1000, range.to.getTime())).filter((t) => t >= from)
        : (await matchingTimes(this.client, id, range.from, range.count)).map((d) => d.getTime()),
    );
    if (!times.length) return [];
    const zone = await this.zones.timeline(schedule.timezone, times[0] - ZONE_MARGIN_MS, times[times.length - 1] + ZONE_MARGIN_MS);
    return times.map((at) => describeSlot({ at, fires: true, wall: zone.wallOf(at) }, zone, schedule));
  }
}

const skipsOf = (windows: DstWindow[]) => {
  const skip = windowSkips(windows);
  return skip.length ? { skip } : {};
};

/** A planned slot as the wire shows it, with its flags in words. */
export function describeSlot(s: PlannedSlot, zone: ZoneTimeline, schedule: SlotSchedule): ExpectedSlot {
  const offset = zone.offsetAt(s.at);
  const wall = s.at + offset;
  const dayStart = zone.startOfDay(wall);
  const dayTransitions = zone.transitionsIn(dayStart, zone.startOfDay(wall + DAY));
  const tz = schedule.timezone;
  const changes = dayTransitions.map(describeTransition).join(', ');
  const entry: ExpectedSlot = {
    utc: new Date(s.at).toISOString(),
    local: formatWall(wall) + formatOffset(offset),
    timezone: tz,
    dayLengthHours: zone.dayLengthHours(wall),
    status: s.fires ? 'fires' : 'skipped',
  };
  const notes: string[] = [];
  const instants = zone.instantsOf(wall);
  if (s.missing) {
    entry.missingWall = formatWallClock(s.wall);
    notes.push(`${formatWallClock(s.wall)} does not exist on ${formatWallDate(s.wall)} in ${tz} (${changes}); skipped by policy "skip"`);
  } else if (instants.length === 2) {
    entry.ambiguous = s.at === instants[0] ? 'first' : 'last';
    const which = entry.ambiguous === 'first' ? 'first' : 'second';
    const head = `${formatWallClock(wall)} occurs twice on ${formatWallDate(wall)} in ${tz} (${changes}); this is the ${which} (${formatOffset(offset)})`;
    if (!schedule.cron) notes.push(`${head}; an interval runs in absolute time`);
    else if (!s.fires) notes.push(`${head}, skipped by policy "${schedule.dst.repeated}"`);
    else notes.push(`${head}; policy "${schedule.dst.repeated}" runs ${schedule.dst.repeated === 'both' ? 'both' : 'this one only'}`);
  }
  if (s.shiftedFrom?.length) {
    entry.shiftedFrom = s.shiftedFrom.map(formatWallClock);
    const names = s.shiftedFrom.length > 3 ? `${entry.shiftedFrom[0]}–${entry.shiftedFrom[entry.shiftedFrom.length - 1]} (${s.shiftedFrom.length} times)` : entry.shiftedFrom.join(', ');
    const verb = s.shiftedFrom.length === 1 ? 'does' : 'do';
    notes.push(`${names} ${verb} not exist on ${formatWallDate(s.shiftedFrom[0])} in ${tz} (${changes}); policy "shift" runs ${s.shiftedFrom.length === 1 ? 'it' : 'them once'} at ${formatWallClock(wall)}`);
  }
  if (notes.length === 0 && entry.dayLengthHours !== 24) {
    notes.push(`${formatWallDate(wall)} is ${entry.dayLengthHours} hours long in ${tz} (${changes})${schedule.cron ? '' : '; an interval runs in absolute time'}`);
  }
  if (notes.length) entry.note = notes.join('. ');
  return entry;
}
