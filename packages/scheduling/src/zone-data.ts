/**
 * Zone data as the Temporal server has it. The server (Go) reads its own tz database (the host's
 * /usr/share/zoneinfo, else the copy embedded in the binary); Node reads ICU's. Temporal runs the
 * ordinary days of every schedule, so the transition windows we cut out of a schedule must sit where
 * Temporal's data puts the transitions: Temporal is authoritative, and we learn its data by asking its
 * matcher only questions it answers exactly.
 *
 * - Offsets: the instant of local 12:00 each day (`0 12 * * *`; no zone changes clocks at noon, and
 *   on a day without a transition Temporal's wall -> instant step is exact).
 * - Transition instants, to the minute: an every-minute interval (absolute time) minus a skip calendar
 *   "wall time in an even bucket of Δ minutes", Δ = the size of the change. Skips are matched
 *   instant -> wall (exact in Go), and at the change every minute's bucket moves by one, so the kept
 *   minutes flip parity exactly at the transition.
 *
 * ICU is only used to tell apart two candidate days 24 h apart when reading a noon, and to report
 * where the two databases disagree (onDisagreement).
 */
import type { CalendarSpec, Client, ScheduleSpec } from '@temporalio/client';
import { matchingTimesBetween } from './matching-times';
import { withPreviewSchedule } from './throwaway-schedule';
import { offsetAt, ZoneTimeline, type Transition } from './timezone';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MARGIN = 3 * DAY;
const BLOCK_YEARS = 2;

/** Where zone offsets come from. */
export interface ZoneSource {
  /** A timeline covering at least [from, to]. */
  timeline(tz: string, from: number, to: number): Promise<ZoneTimeline>;
}

/** Node's ICU data (tests, and where no Temporal is at hand). */
export const intlZones: ZoneSource = { timeline: async (tz, from, to) => new ZoneTimeline(tz, from - 2 * DAY, to + 2 * DAY) };

export type ZoneDisagreement = { timezone: string; from: string; to: string; temporal: Transition[]; intl: Transition[] };

export class ZoneProbeError extends Error {}

type Block = { from: number; to: number; startOffset: number; transitions: Transition[] };

export type TemporalZonesOptions = {
  taskQueue: string;
  /** How long a zone's data is trusted before it is asked again (a tzdata change reaches us within this). */
  ttlMs?: number;
  onDisagreement?: (d: ZoneDisagreement) => void;
  now?: () => number;
};

/** The Temporal server's zone data, probed in blocks of two calendar years and cached for `ttlMs` (default 1 day). */
export class TemporalZones implements ZoneSource {
  private readonly blocks = new Map<string, { loadedAt: number; block: Promise<Block> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly opts: TemporalZonesOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? DAY;
    this.now = opts.now ?? Date.now;
  }

  async timeline(tz: string, from: number, to: number): Promise<ZoneTimeline> {
    const first = blockYear(from - 2 * DAY);
    const last = blockYear(to + 2 * DAY);
    const years: number[] = [];
    for (let y = first; y <= last; y += BLOCK_YEARS) years.push(y);
    const blocks = await Promise.all(years.map((y) => this.block(tz, y)));
    const transitions = new Map<number, Transition>();
    for (const b of blocks) for (const tr of b.transitions) transitions.set(tr.at, tr);
    return new ZoneTimeline(tz, blocks[0].from, blocks[blocks.length - 1].to, { startOffset: blocks[0].startOffset, transitions: [...transitions.values()] });
  }

  private block(tz: string, year: number): Promise<Block> {
    const key = `${tz}|${year}`;
    const cached = this.blocks.get(key);
    if (cached && this.now() - cached.loadedAt < this.ttlMs) return cached.block;
    const block = this.load(tz, year);
    this.blocks.set(key, { loadedAt: this.now(), block });
    // A failed probe is not remembered: the next caller asks again.
    block.catch(() => {
      if (this.blocks.get(key)?.block === block) this.blocks.delete(key);
    });
    return block;
  }

  private async load(tz: string, year: number): Promise<Block> {
    const after = Date.UTC(year, 0, 1) - MARGIN;
    const until = Date.UTC(year + BLOCK_YEARS, 0, 1) + MARGIN;
    const noons = await this.probe({ cronExpressions: ['0 12 * * *'], timezone: tz }, [[after, until]]);
    if (noons.length < 2) throw new ZoneProbeError(`${tz}: Temporal listed ${noons.length} noons in ${year}-${year + BLOCK_YEARS - 1}`);
    const offsets = noons.map((t) => noonOffset(tz, t));

    // Days whose noon offset changed hold one transition each; probe them grouped by the size of the change.
    const changes: { i: number; bucket: number }[] = [];
    for (let i = 0; i + 1 < noons.length; i++) {
      if (offsets[i] !== offsets[i + 1]) changes.push({ i, bucket: Math.abs(offsets[i + 1] - offsets[i]) / MINUTE });
    }
    const transitions: Transition[] = [];
    for (const bucket of new Set(changes.map((c) => c.bucket))) {
      const group = changes.filter((c) => c.bucket === bucket);
      const spec: ScheduleSpec = { intervals: [{ every: MINUTE }], timezone: tz, skip: evenBucketCalendars(bucket, tz) };
      const kept = new Set(await this.probe(spec, group.map(({ i }) => [noons[i], noons[i + 1]])));
      for (const { i } of group) transitions.push(findTransition(tz, kept, noons[i], noons[i + 1], offsets[i], offsets[i + 1], bucket));
    }
    transitions.sort((a, b) => a.at - b.at);
    const block: Block = { from: noons[0], to: noons[noons.length - 1], startOffset: offsets[0], transitions };
    this.compareWithIntl(tz, block);
    return block;
  }

  /** Matching times of a throwaway schedule over each (after, until] range. */
  private probe(spec: ScheduleSpec, ranges: [number, number][]): Promise<number[]> {
    return withPreviewSchedule(this.client, spec, this.opts.taskQueue, async (id) => {
      const out: number[] = [];
      for (const [after, until] of ranges) out.push(...(await matchingTimesBetween(this.client, id, after, until)));
      return out;
    });
  }

  private compareWithIntl(tz: string, block: Block): void {
    if (!this.opts.onDisagreement) return;
    const intl = new ZoneTimeline(tz, block.from, block.to);
    const same =
      intl.offsetAt(block.from) === block.startOffset &&
      intl.transitions.length === block.transitions.length &&
      intl.transitions.every((tr, k) => tr.at === block.transitions[k].at && tr.before === block.transitions[k].before && tr.after === block.transitions[k].after);
    if (!same) {
      this.opts.onDisagreement({
        timezone: tz,
        from: new Date(block.from).toISOString(),
        to: new Date(block.to).toISOString(),
        temporal: block.transitions,
        intl: intl.transitions,
      });
    }
  }
}

const blockYear = (t: number): number => {
  const y = new Date(t).getUTCFullYear();
  return y - (((y % BLOCK_YEARS) + BLOCK_YEARS) % BLOCK_YEARS);
};

/** Offset in force at a local noon Temporal returned: the wall reads 12:00 there, on the day ICU points at. */
function noonOffset(tz: string, t: number): number {
  const hint = t + offsetAt(t, tz);
  const noonWall = Math.round((hint - 12 * HOUR) / DAY) * DAY + 12 * HOUR;
  const offset = noonWall - t;
  if (Math.abs(offset) > 15 * HOUR || offset % MINUTE !== 0) {
    throw new ZoneProbeError(`${tz}: Temporal's noon at ${new Date(t).toISOString()} gives an offset of ${offset / MINUTE} minutes`);
  }
  return offset;
}

/** Skip calendar for "the local minute of day lies in an even bucket of `size` minutes". */
export function evenBucketCalendars(size: number, tz: string): CalendarSpec[] {
  const perDay = 1440 / size;
  if (!Number.isInteger(size) || !Number.isInteger(perDay) || perDay % 2 !== 0) {
    throw new ZoneProbeError(`${tz}: a clock change of ${size} minutes cannot be probed (it must split a day into an even number of parts)`);
  }
  const out: CalendarSpec[] = [];
  for (let k = 0; k < perDay; k += 2) {
    for (let m = k * size; m < (k + 1) * size; ) {
      const hour = Math.floor(m / 60);
      const end = Math.min((k + 1) * size, (hour + 1) * 60);
      out.push({ hour, minute: { start: m % 60, end: (end - 1) % 60 }, second: '*', comment: 'zone probe' });
      m = end;
    }
  }
  return out;
}

const keptUnder = (minute: number, offset: number, size: number): boolean => {
  const ofDay = Math.floor((((minute + offset) % DAY) + DAY) % DAY / MINUTE);
  return Math.floor(ofDay / size) % 2 === 1;
};

/** The minute in (lo, hi] where the kept pattern stops following `before` and follows `after` from then on. */
function findTransition(tz: string, kept: Set<number>, lo: number, hi: number, before: number, after: number, size: number): Transition {
  let at: number | undefined;
  for (let m = lo + MINUTE; m <= hi; m += MINUTE) {
    const observed = kept.has(m);
    if (at === undefined) {
      if (observed !== keptUnder(m, before, size)) at = m;
      else continue;
    }
    if (observed !== keptUnder(m, after, size)) {
      throw new ZoneProbeError(`${tz}: Temporal's clock between ${new Date(lo).toISOString()} and ${new Date(hi).toISOString()} does not change once`);
    }
  }
  if (at === undefined) throw new ZoneProbeError(`${tz}: no clock change found between ${new Date(lo).toISOString()} and ${new Date(hi).toISOString()}`);
  return { at, before, after };
}
