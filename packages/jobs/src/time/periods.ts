// Calendar periods in an IANA time zone, computed from the slot's nominal time (never the wall clock),
// so a late or retried run covers the same period.

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function partsIn(timeZone: string, at: Date): Parts {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  });
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday],
  };
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(timeZone: string, at: Date): number {
  const p = partsIn(timeZone, at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local wall-clock time occurs in the zone (the earlier one in a DST overlap; skipped times move forward). */
export function zonedTimeToUtc(timeZone: string, y: number, m: number, d: number, h = 0): Date {
  const guess = Date.UTC(y, m - 1, d, h);
  let t = guess - offsetAt(timeZone, new Date(guess));
  t = guess - offsetAt(timeZone, new Date(t));
  return new Date(t);
}

export type Period = 'hour' | 'day' | 'week';
export type PeriodRange = { start: Date; end: Date; label: string };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The last complete period before `slot` in `timeZone`: the hour, the day, or the ISO week
 * (Monday to Monday) that ended at or before the slot.
 */
export function previousPeriod(period: Period, slot: Date, timeZone: string): PeriodRange {
  const p = partsIn(timeZone, slot);
  if (period === 'hour') {
    const end = zonedTimeToUtc(timeZone, p.year, p.month, p.day, p.hour);
    const start = new Date(end.getTime() - 3_600_000);
    const s = partsIn(timeZone, start);
    return { start, end, label: `${s.year}-${pad(s.month)}-${pad(s.day)}T${pad(s.hour)}` };
  }
  // Calendar arithmetic on a UTC date avoids DST: only the final conversion uses the zone.
  const today = new Date(Date.UTC(p.year, p.month - 1, p.day));
  const back = period === 'day' ? 1 : 7 + (p.weekday - 1);
  const endDay = period === 'day' ? today : new Date(today.getTime() - (p.weekday - 1) * 86_400_000);
  const startDay = new Date(today.getTime() - back * 86_400_000);
  const at = (d: Date) => zonedTimeToUtc(timeZone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  const start = at(startDay);
  const end = at(endDay);
  const label =
    period === 'day'
      ? `${startDay.getUTCFullYear()}-${pad(startDay.getUTCMonth() + 1)}-${pad(startDay.getUTCDate())}`
      : isoWeekLabel(startDay);
  return { start, end, label };
}

function isoWeekLabel(monday: Date): string {
  // The ISO week-year is the year of that week's Thursday.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return `${year}-W${pad(week)}`;
}
