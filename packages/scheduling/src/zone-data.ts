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
  /** Owner tag of the throwaway probe schedules (see sweepStalePreviews). */
  instance?: string;
  /** How long a zone's data is trusted before it is asked again (a tzdata change reaches us within this). */
  ttlMs?: number;
  /**
   * Do not wait for a probe: until a zone's data has been probed, answer with ICU's and probe in the
   * background (the API: a first sync stays fast, and the reconciler's next pass rewrites any plan
   * that Temporal's data changes). Failed background probes go to onProbeError and are retried.
   */
  background?: boolean;
  onDisagreement?: (d: ZoneDisagreement) => void;
  onProbeError?: (tz: string, err: unknown) => void;
  /**
   * A probe (its Temporal calls, retries included) ends by this deadline (default 30 s): one that
   * started while Temporal was down must not keep retrying on a connection being closed.
   */
  probeDeadlineMs?: number;
  now?: () => number;
  /** ICU's view (tests replace it): the changes probed first, the fallback in the background, what disagreements are measured against. */
  icu?: (tz: string, from: number, to: number) => ZoneTimeline;
};

// A local noon lies within 26 hours of any change next to it.
const NOON_REACH = 26 * HOUR;

type Entry = { loadedAt: number; block: Promise<Block>; value?: Block };

/** The Temporal server's zone data, probed in blocks of two calendar years and cached for `ttlMs` (default 1 day). */
export class TemporalZones implements ZoneSource {
  private readonly blocks = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly icu: (tz: string, from: number, to: number) => ZoneTimeline;

  constructor(
    private readonly client: Client,
    private readonly opts: TemporalZonesOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? DAY;
    this.now = opts.now ?? Date.now;
    this.icu = opts.icu ?? ((tz, from, to) => new ZoneTimeline(tz, from, to));
  }

  async timeline(tz: string, from: number, to: number): Promise<ZoneTimeline> {
    const first = blockYear(from - 2 * DAY);
    const last = blockYear(to + 2 * DAY);
    const entries: Entry[] = [];
    for (let y = first; y <= last; y += BLOCK_YEARS) entries.push(this.entry(tz, y));
    let blocks: Block[];
    if (!this.opts.background) blocks = await Promise.all(entries.map((e) => e.block));
    else if (entries.every((e) => e.value)) blocks = entries.map((e) => e.value!);
    else return this.icu(tz, from - 2 * DAY, to + 2 * DAY);
    const transitions = new Map<number, Transition>();
    for (const b of blocks) for (const tr of b.transitions) transitions.set(tr.at, tr);
    return new ZoneTimeline(tz, blocks[0].from, blocks[blocks.length - 1].to, { startOffset: blocks[0].startOffset, transitions: [...transitions.values()] });
  }

  /** Resolves once no probe is under way (tests, and a warm-up at start). */
  async settled(): Promise<void> {
    await Promise.all([...this.blocks.values()].map((e) => e.block.catch(() => undefined)));
  }

  private entry(tz: string, year: number): Entry {
    const key = `${tz}|${year}`;
    const cached = this.blocks.get(key);
    if (cached && this.now() - cached.loadedAt < this.ttlMs) return cached;
    // An expired block keeps answering (in the background mode) until its fresh copy is in.
    const deadline = Date.now() + (this.opts.probeDeadlineMs ?? 30_000);
    const entry: Entry = { loadedAt: this.now(), block: this.client.connection.withDeadline(deadline, () => this.load(tz, year)), value: cached?.value };
    this.blocks.set(key, entry);
    entry.block.then(
      (block) => {
        entry.value = block;
      },
      (err: unknown) => {
        // A failed probe is not remembered: the next caller asks again.
        if (this.blocks.get(key) === entry) {
          if (cached?.value) this.blocks.set(key, { ...cached, loadedAt: 0 });
          else this.blocks.delete(key);
        }
        this.opts.onProbeError?.(tz, err);
      },
    );
    return entry;
  }

  private async load(tz: string, year: number): Promise<Block> {
    const after = Date.UTC(year, 0, 1) - MARGIN;
    const until = Date.UTC(year + BLOCK_YEARS, 0, 1) + MARGIN;
    // The minute probes go out at once for the changes ICU expects (the usual case: the two agree), next
    // to the noon probe; whatever the noons show that ICU did not expect is probed afterwards.
    const expected = this.icu(tz, after, until).transitions.map((tr) => ({ at: tr.at, bucket: Math.abs(tr.after - tr.before) / MINUTE }));
    const [noons, early] = await Promise.all([
      this.probe({ cronExpressions: ['0 12 * * *'], timezone: tz }, [[after, until]]),
      this.keptMinutes(tz, expected.map(({ at, bucket }) => ({ bucket, range: [at - NOON_REACH, at + NOON_REACH] as [number, number] }))),
    ]);
    if (noons.length < 2) throw new ZoneProbeError(`${tz}: Temporal listed ${noons.length} noons in ${year}-${year + BLOCK_YEARS - 1}`);
    const offsets = noons.map((t) => noonOffset(tz, t));

    const transitions: Transition[] = [];
    const late: { i: number; bucket: number }[] = [];
    for (let i = 0; i + 1 < noons.length; i++) {
      if (offsets[i] === offsets[i + 1]) continue;
      const bucket = Math.abs(offsets[i + 1] - offsets[i]) / MINUTE;
      const probed = early.find((e) => e.bucket === bucket && e.range[0] <= noons[i] && noons[i + 1] <= e.range[1]);
      if (probed) transitions.push(findTransition(tz, probed.kept, noons[i], noons[i + 1], offsets[i], offsets[i + 1], bucket));
      else late.push({ i, bucket });
    }
    const probedLate = await this.keptMinutes(tz, late.map(({ i, bucket }) => ({ bucket, range: [noons[i], noons[i + 1]] as [number, number] })));
    for (const [k, { i, bucket }] of late.entries()) transitions.push(findTransition(tz, probedLate[k].kept, noons[i], noons[i + 1], offsets[i], offsets[i + 1], bucket));
    transitions.sort((a, b) => a.at - b.at);
    const block: Block = { from: noons[0], to: noons[noons.length - 1], startOffset: offsets[0], transitions };
    this.compareWithIntl(tz, block);
    return block;
  }

  /** For each range, the minutes Temporal keeps under the even-bucket skip of that size (one schedule per size). */
  private async keptMinutes(tz: string, asks: { bucket: number; range: [number, number] }[]): Promise<{ bucket: number; range: [number, number]; kept: Set<number> }[]> {
    const sizes = [...new Set(asks.map((a) => a.bucket))];
    const bySize = await Promise.all(
      sizes.map(async (bucket) => {
        const ranges = asks.filter((a) => a.bucket === bucket).map((a) => a.range);
        const spec: ScheduleSpec = { intervals: [{ every: MINUTE }], timezone: tz, skip: evenBucketCalendars(bucket, tz) };
        return { bucket, kept: new Set(await this.probe(spec, ranges)) };
      }),
    );
    return asks.map((a) => ({ ...a, kept: bySize.find((b) => b.bucket === a.bucket)!.kept }));
  }

  /** Matching times of a throwaway schedule over each (after, until] range. */
  private probe(spec: ScheduleSpec, ranges: [number, number][]): Promise<number[]> {
    return withPreviewSchedule(
      this.client,
      spec,
      this.opts.taskQueue,
      async (id) => {
        const out: number[] = [];
        for (const [after, until] of ranges) out.push(...(await matchingTimesBetween(this.client, id, after, until)));
        return out;
      },
      this.opts.instance,
    );
  }

  private compareWithIntl(tz: string, block: Block): void {
    if (!this.opts.onDisagreement) return;
    const intl = this.icu(tz, block.from, block.to);
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
