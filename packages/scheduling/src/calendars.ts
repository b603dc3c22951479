/**
 * Temporal calendar entries for the two things a DST plan writes into schedules: ranges of wall time
 * to skip (in the job's zone) and explicit instants to fire (in UTC). Both are plain calendar matches,
 * which Temporal evaluates exactly: a skip is matched instant -> wall, and a UTC calendar has no clock
 * changes.
 */
import type { CalendarSpec, LooseRange, Month } from '@temporalio/client';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MONTHS: Month[] = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/** The calendar fields of a day (year, month, day of month) of a wall or UTC time. */
function dayFields(t: number): Pick<CalendarSpec, 'year' | 'month' | 'dayOfMonth'> {
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: MONTHS[d.getUTCMonth()], dayOfMonth: d.getUTCDate() };
}

const range = (start: number, end: number): LooseRange<number> => (start === end ? start : { start, end });

/**
 * Calendar entries matching exactly the wall times in [from, to) (wall ms, as in timezone.ts), whole
 * seconds. Split into the fewest aligned pieces: a partial minute, partial hours, whole hours of a day.
 */
export function wallRangeCalendars(from: number, to: number, comment?: string): CalendarSpec[] {
  const out: CalendarSpec[] = [];
  let a = Math.ceil(from / SECOND) * SECOND;
  const b = Math.ceil(to / SECOND) * SECOND;
  const at = (t: number) => new Date(t);
  while (a < b) {
    let end: number;
    if (a % MINUTE !== 0 || b - a < MINUTE) {
      end = Math.min(b, Math.floor(a / MINUTE) * MINUTE + MINUTE);
      out.push({ ...dayFields(a), hour: at(a).getUTCHours(), minute: at(a).getUTCMinutes(), second: range(at(a).getUTCSeconds(), at(end - SECOND).getUTCSeconds()), comment });
    } else if (a % HOUR !== 0 || b - a < HOUR) {
      end = Math.min(Math.floor(b / MINUTE) * MINUTE, Math.floor(a / HOUR) * HOUR + HOUR);
      out.push({ ...dayFields(a), hour: at(a).getUTCHours(), minute: range(at(a).getUTCMinutes(), at(end - MINUTE).getUTCMinutes()), second: '*', comment });
    } else {
      end = Math.min(Math.floor(b / HOUR) * HOUR, Math.floor(a / DAY) * DAY + DAY);
      out.push({ ...dayFields(a), hour: range(at(a).getUTCHours(), at(end - HOUR).getUTCHours()), minute: '*', second: '*', comment });
    }
    a = end;
  }
  return out;
}

/** Sorted distinct values as ranges: runs with one step each ("0-55/5", "7", "1-3"). */
export function toRanges(values: number[]): LooseRange<number>[] {
  const sorted = [...new Set(values)].sort((x, y) => x - y);
  const out: LooseRange<number>[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i];
    if (i + 1 === sorted.length) {
      out.push(start);
      break;
    }
    const step = sorted[i + 1] - start;
    let j = i + 1;
    while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] === step) j++;
    out.push(step === 1 ? { start, end: sorted[j] } : { start, end: sorted[j], step });
    i = j + 1;
  }
  return out;
}

/**
 * UTC calendar entries matching exactly the given instants (whole seconds): one entry per UTC hour,
 * or per group of minutes in that hour that share their seconds.
 */
export function instantCalendars(instants: number[], comment?: string): CalendarSpec[] {
  const byHour = new Map<number, Map<number, number[]>>();
  for (const t of new Set(instants.map((x) => Math.floor(x / SECOND) * SECOND))) {
    const hour = Math.floor(t / HOUR) * HOUR;
    const minutes = byHour.get(hour) ?? new Map<number, number[]>();
    const minute = new Date(t).getUTCMinutes();
    minutes.set(minute, [...(minutes.get(minute) ?? []), new Date(t).getUTCSeconds()]);
    byHour.set(hour, minutes);
  }
  const out: CalendarSpec[] = [];
  for (const hour of [...byHour.keys()].sort((x, y) => x - y)) {
    const bySeconds = new Map<string, { seconds: number[]; minutes: number[] }>();
    for (const [minute, seconds] of byHour.get(hour)!) {
      const key = [...seconds].sort((x, y) => x - y).join(',');
      const group = bySeconds.get(key) ?? { seconds, minutes: [] };
      group.minutes.push(minute);
      bySeconds.set(key, group);
    }
    for (const { seconds, minutes } of bySeconds.values()) {
      out.push({ ...dayFields(hour), hour: new Date(hour).getUTCHours(), minute: toRanges(minutes), second: toRanges(seconds), comment });
    }
  }
  return out;
}
