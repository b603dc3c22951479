/**
 * IANA time-zone arithmetic on top of Intl (no extra dependency): offsets, DST transitions, which
 * instants carry a given wall-clock time, and how long a local day is.
 *
 * A "wall" time is a local clock reading encoded as if it were UTC: Date.UTC(y, m, d, h, min, s). That
 * keeps wall times plain numbers that sort, and makes "this wall time in that zone" a lookup.
 */

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// Real offsets lie between -12:00 and +14:00, so a wall time's instants lie within these bounds.
const MAX_OFFSET_SPAN = 15 * HOUR;

/** Null when Temporal's server will accept the zone, else a sentence saying what is wrong. */
export function checkTimezone(tz: string): string | null {
  if (tz.trim() === '') return 'time zone is empty';
  if (tz !== tz.trim()) return `time zone "${tz}" has leading or trailing spaces`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone "${tz}"`;
  }
  // Intl ignores case but the server (Go's time.LoadLocation) does not: "america/new_york" or "utc"
  // would pass here and fail in Temporal. IANA names start every segment with a capital.
  const wrongCase = (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase()) || tz.split('/').some((seg) => /^[a-z]/.test(seg));
  if (wrongCase) return `unknown time zone "${tz}" (names are case-sensitive; did you mean "${resolved}"?)`;
  return null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset (ms, east positive) in force at an instant, straight from Intl. */
export function offsetAt(instant: number, tz: string): number {
  const t = Math.floor(instant / SECOND) * SECOND;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
}

/** "+05:30", "-04:00", "+00:00". */
export function formatOffset(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "2026-03-08T03:30:00" (with ".250" when there are milliseconds, as jittered times have). */
export const formatWall = (wall: number): string => new Date(wall).toISOString().slice(0, wall % 1000 === 0 ? 19 : 23);
/** "2026-03-08" */
export const formatWallDate = (wall: number): string => new Date(wall).toISOString().slice(0, 10);
/** "03:30", or "03:30:15" when seconds matter. */
export function formatWallClock(wall: number): string {
  const hms = new Date(wall).toISOString().slice(11, 19);
  return hms.endsWith(':00') ? hms.slice(0, 5) : hms;
}

/** An instant as local ISO time with its offset: "2026-03-08T03:30:00-04:00". */
export function localIso(instant: number, tz: string): string {
  const offset = offsetAt(instant, tz);
  return formatWall(instant + offset) + formatOffset(offset);
}

/** A change of offset: from `at` on, clocks read `after` ahead of UTC instead of `before`. */
export type Transition = { at: number; before: number; after: number };

/** "clocks jump 02:00→03:00" or "clocks fall back 02:00→01:00" (as read on the wall). */
export function describeTransition(tr: Transition): string {
  const verb = tr.after > tr.before ? 'jump' : 'fall back';
  return `clocks ${verb} ${formatWallClock(tr.at + tr.before)}→${formatWallClock(tr.at + tr.after)}`;
}

/** A zone's offsets as some tz database has them: the offset at `start` and every change up to `end`. */
export type ZoneData = { startOffset: number; transitions: Transition[] };

/**
 * One zone's offsets over a span. By default from Node's ICU (sampling daily and bisecting each change
 * to the second; two transitions less than a day apart would be missed, no zone in use does that);
 * or from given data, e.g. the Temporal server's own view (zone-data.ts), which is then the only source:
 * asking outside the span throws rather than quietly falling back to ICU.
 */
export class ZoneTimeline {
  readonly transitions: Transition[] = [];
  private readonly start: number;
  private readonly end: number;
  private readonly startOffset: number;
  private readonly given: boolean;
  private readonly dayStarts = new Map<number, number>();

  constructor(
    readonly tz: string,
    start: number,
    end: number,
    data?: ZoneData,
  ) {
    this.start = Math.floor(start / SECOND) * SECOND;
    this.end = Math.max(this.start, end);
    this.given = data !== undefined;
    if (data) {
      this.startOffset = data.startOffset;
      this.transitions = data.transitions.filter((tr) => tr.at > this.start && tr.at <= this.end).sort((a, b) => a.at - b.at);
      return;
    }
    this.startOffset = offsetAt(this.start, tz);
    let t = this.start;
    let o = this.startOffset;
    while (t < this.end) {
      const next = Math.min(t + DAY, this.end);
      const on = offsetAt(next, tz);
      if (on !== o) this.transitions.push(this.bisect(t, next, o));
      t = next;
      o = on;
    }
  }

  /** The span this timeline knows, [from, to]. */
  get span(): { from: number; to: number } {
    return { from: this.start, to: this.end };
  }

  private bisect(lo: number, hi: number, before: number): Transition {
    while (hi - lo > SECOND) {
      const mid = Math.floor((lo + hi) / 2 / SECOND) * SECOND;
      if (offsetAt(mid, this.tz) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi, before, after: offsetAt(hi, this.tz) };
  }

  offsetAt(instant: number): number {
    if (instant < this.start || instant > this.end) {
      if (this.given) throw new RangeError(`${this.tz}: ${new Date(instant).toISOString()} is outside the zone data loaded`);
      return offsetAt(instant, this.tz);
    }
    let offset = this.startOffset;
    for (const tr of this.transitions) {
      if (tr.at > instant) break;
      offset = tr.after;
    }
    return offset;
  }

  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** Transitions with from <= at < to. */
  transitionsIn(from: number, to: number): Transition[] {
    return this.transitions.filter((tr) => tr.at >= from && tr.at < to);
  }

  /** The instants whose local clock reads `wall`: none in a spring-forward gap, two in an overlap. */
  instantsOf(wall: number): number[] {
    const offsets = new Set([this.offsetAt(wall - MAX_OFFSET_SPAN), this.offsetAt(wall + MAX_OFFSET_SPAN)]);
    for (const tr of this.transitionsIn(wall - MAX_OFFSET_SPAN, wall + MAX_OFFSET_SPAN)) offsets.add(tr.before).add(tr.after);
    const instants = [...offsets].map((o) => wall - o).filter((t) => this.wallOf(t) === wall);
    return [...new Set(instants)].sort((a, b) => a - b);
  }

  /** The instant the local calendar day holding `wall` begins (later than midnight if midnight was skipped). */
  startOfDay(wall: number): number {
    const midnight = Math.floor(wall / DAY) * DAY;
    let start = this.dayStarts.get(midnight);
    if (start === undefined) {
      const instants = this.instantsOf(midnight);
      const jump = this.transitionsIn(midnight - MAX_OFFSET_SPAN, midnight + MAX_OFFSET_SPAN).find(
        (tr) => tr.after > tr.before && tr.at + tr.before <= midnight && midnight < tr.at + tr.after,
      );
      start = instants.length > 0 ? instants[0] : jump ? jump.at : midnight - this.offsetAt(midnight);
      this.dayStarts.set(midnight, start);
    }
    return start;
  }

  /** Length of the local calendar day holding `wall`, in hours (23, 24, 25; 23.5 or 24.5 on Lord Howe). */
  dayLengthHours(wall: number): number {
    const ms = this.startOfDay(wall + DAY) - this.startOfDay(wall);
    return Math.round((ms / HOUR) * 100) / 100;
  }
}
