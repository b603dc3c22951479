import { describe, expect, it } from 'vitest';
import { checkCron, cronMatchesWall, parseCron, type CronFields } from './cron';
import { matchingTimes } from './matching-times';
import { withPreviewSchedule } from './throwaway-schedule';
import { useTemporalClient } from './testing/temporal-client';

const message = (expr: string) => {
  const check = checkCron(expr);
  return check.ok ? `accepted as ${check.temporalCron}` : check.message;
};

describe('checkCron messages name what is wrong', () => {
  it.each([
    ['', 'cron expression is empty'],
    ['* * * *', 'expected 5 fields (or 6 with seconds first), got 4'],
    ['0 0 0 * * * *', 'expected 5 fields (or 6 with seconds first), got 7'],
    ['61 * * * *', 'minute field "61" is out of range 0-59'],
    ['0 24 * * *', 'hour field "24" is out of range 0-23'],
    ['0 0 0 * *', 'day-of-month field "0" is out of range 1-31'],
    ['0 0 * 13 *', 'month field "13" is out of range 1-12'],
    ['0 0 * * 8', 'day-of-week field "8" is out of range 0-7'],
    ['60 * * * * *', 'second field "60" is out of range 0-59'],
    ['0 5,61 * * *', 'hour field "61" is out of range 0-23'],
    ['0 0 * FOO *', 'month field "FOO" is not a number 1-12 or a name JAN-DEC'],
    ['0 0 * * MONDAY', 'day-of-week field "MONDAY" is not a number 0-7 or a name SUN-SAT'],
    ['0 0 * JAN-MON *', 'month field "MON" is not a number 1-12 or a name JAN-DEC'],
    ['0 0 L * *', 'day-of-month field "L": "L" (last) is not supported'],
    ['0 0 15W * *', 'day-of-month field "15W": "W" (nearest weekday) is not supported'],
    ['0 9 * * MON#2', 'day-of-week field "MON#2": "#" (nth weekday) is not supported'],
    ['0 9 * * THU#2', 'day-of-week field "THU#2": "#" (nth weekday) is not supported'],
    ['0 0 ? * *', 'day-of-month field "?": "?" is not supported; use "*"'],
    ['H * * * *', 'minute field "H": "H" (hashed value) is not supported'],
    ['*/0 * * * *', 'minute step "0" is out of range 1-59'],
    ['*/90 * * * *', 'minute step "90" is out of range 1-59'],
    ['*/x * * * *', 'minute step "x" is not a number'],
    ['1/2/3 * * * *', 'minute field "1/2/3" has more than one "/"'],
    ['50-10 * * * *', 'minute range "50-10" runs backwards; wrap-around ranges are not supported, split it into two ranges joined by ","'],
    ['0 0 * * SAT-SUN', 'day-of-week range "SAT-SUN" runs backwards; wrap-around ranges are not supported, split it into two ranges joined by ","'],
    ['1-2-3 * * * *', 'minute range "1-2-3" is not of the form a-b'],
    ['5, * * * *', 'minute field "5," has an empty list item'],
    ['-5 * * * *', 'minute range "-5" is not of the form a-b'],
    ['0 0 30 2 *', 'day-of-month field "30" never occurs in month field "2", so the schedule would never fire'],
    ['0 0 31 APR,JUN *', 'day-of-month field "31" never occurs in month field "APR,JUN", so the schedule would never fire'],
    ['@fortnightly', 'unknown shorthand "@fortnightly"; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'],
    ['@every 1h', '"@every" is not allowed in a cron; use the interval field'],
    ['TZ=Europe/London 0 0 * * *', 'a time zone prefix (TZ=... or CRON_TZ=...) is not allowed here; set the timezone field'],
  ])('%j → %s', (expr, expected) => {
    expect(message(expr)).toBe(expected);
  });
});

describe('checkCron accepts and normalises', () => {
  it('passes 5 fields through (whitespace collapsed)', () => {
    expect(checkCron('  30   2 * *\tMON-FRI ')).toEqual({ ok: true, temporalCron: '30 2 * * MON-FRI' });
  });

  it('turns 6 fields (seconds first) into Temporal 7-field form by adding the year', () => {
    expect(checkCron('*/30 * * * * *')).toEqual({ ok: true, temporalCron: '*/30 * * * * * *' });
  });

  it('passes shorthands through, lower-cased', () => {
    for (const s of ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually']) {
      expect(checkCron(s)).toEqual({ ok: true, temporalCron: s });
    }
    expect(checkCron('@Daily')).toEqual({ ok: true, temporalCron: '@daily' });
  });

  it('accepts names case-insensitively, dow 7 for Sunday, steps and lists', () => {
    for (const expr of ['0 0 * jan,Jul *', '0 0 * * sun', '0 0 * * 7', '0 0 * * 5-7', '5/20 * * * *', '10-50/20 8-18/5 1-31/10 */2 *', '0 0 * * MON/2']) {
      expect(checkCron(expr).ok, expr).toBe(true);
    }
  });

  it('warns that day-of-month and day-of-week are ANDed', () => {
    expect(checkCron('0 9 1-7 * MON')).toEqual({
      ok: true,
      temporalCron: '0 9 1-7 * MON',
      warning: 'day-of-month "1-7" and day-of-week "MON" are both set: Temporal fires only on days matching both (AND), unlike classic cron (OR)',
    });
  });

  it('parseCron throws the same message', () => {
    expect(() => parseCron('61 * * * *')).toThrow(new RangeError('minute field "61" is out of range 0-59'));
  });
});

describe('cronMatchesWall', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  it('matches each field, with seconds defaulting to 0', () => {
    const f = parseCron('30 2 * * *');
    expect(cronMatchesWall(f, wall('2026-03-08T02:30:00'))).toBe(true);
    expect(cronMatchesWall(f, wall('2026-03-08T02:30:01'))).toBe(false);
    expect(cronMatchesWall(f, wall('2026-03-08T03:30:00'))).toBe(false);
  });
  it('treats 7 and SUN as Sunday and ANDs day-of-month with day-of-week', () => {
    expect(cronMatchesWall(parseCron('0 0 * * 7'), wall('2026-03-08T00:00:00'))).toBe(true); // a Sunday
    const firstMonday = parseCron('0 9 1-7 * MON');
    expect(cronMatchesWall(firstMonday, wall('2026-03-02T09:00:00'))).toBe(true);
    expect(cronMatchesWall(firstMonday, wall('2026-03-09T09:00:00'))).toBe(false); // Monday, but the 9th
    expect(cronMatchesWall(firstMonday, wall('2026-03-03T09:00:00'))).toBe(false); // the 3rd, but Tuesday
  });
});

// Everything we accept must mean the same to Temporal: compare its matching times (in UTC, where no
// DST gets in the way) with a plain enumeration using our parsed fields.
describe('Temporal agrees with our reading of every accepted form', { timeout: 60_000 }, () => {
  const client = useTemporalClient();

  const from = new Date('2026-01-01T00:00:00Z');
  const horizon = Date.parse('2036-01-01T00:00:00Z');

  /** The first `count` UTC times at or after `from` that the fields match, up to `horizon` (inclusive, as in matchingTimes). */
  function enumerate(fields: CronFields, count: number): string[] {
    const out: string[] = [];
    const sorted = (s: ReadonlySet<number>) => [...s].sort((a, b) => a - b);
    for (let day = from.getTime(); day <= horizon && out.length < count; day += 86_400_000) {
      const d = new Date(day);
      if (!fields.dayOfMonth.has(d.getUTCDate()) || !fields.month.has(d.getUTCMonth() + 1) || !fields.dayOfWeek.has(d.getUTCDay())) continue;
      for (const h of sorted(fields.hour))
        for (const m of sorted(fields.minute))
          for (const s of sorted(fields.second)) if (out.length < count) out.push(new Date(day + ((h * 60 + m) * 60 + s) * 1000).toISOString());
    }
    return out;
  }

  it.each([
    '*/7 3-5 * * MON-FRI',
    '15,45 */6 1-10 JAN,jul *',
    '0 0 * * 7',
    '0 12 * * sun',
    '0 0 * * 5-7',
    '0 0 * * 1-5/2',
    '0 0 * * MON/2',
    '5/20 * * * *',
    '10-50/20 8-18/5 1-31/10 */2 *',
    '0 9 1-7 * MON',
    '59 23 31 DEC *',
    '0 0 29 2 *',
    '30 */5 * * * *',
    '*/30 * * * * *',
    '0 0 * * tue',
    '@hourly',
    '@daily',
    '@midnight',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
  ])('%s', async (expr) => {
    const check = checkCron(expr);
    if (!check.ok) throw new Error(check.message);
    const temporal = await withPreviewSchedule(client(), { cronExpressions: [check.temporalCron], timezone: 'UTC' }, 'tk-test', (id) =>
      matchingTimes(client(), id, from, 25, horizon - from.getTime()),
    );
    expect(temporal.length).toBeGreaterThan(0);
    expect(temporal.map((d) => d.toISOString())).toEqual(enumerate(parseCron(expr), 25));
  });

  // Why these are refused even though the server takes them (observed on Temporal 1.32):
  it('Temporal reads "#" as a comment, so MON#2 would fire every Monday', async () => {
    const times = await withPreviewSchedule(client(), { cronExpressions: ['0 9 * * MON#2'], timezone: 'UTC' }, 'tk-test', (id) =>
      matchingTimes(client(), id, from, 3),
    );
    expect(times.map((d) => d.toISOString())).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z']);
  });

  it('Temporal reads */90 minutes as "on the hour"', async () => {
    const times = await withPreviewSchedule(client(), { cronExpressions: ['*/90 * * * *'], timezone: 'UTC' }, 'tk-test', (id) =>
      matchingTimes(client(), id, from, 3),
    );
    expect(times.map((d) => d.toISOString())).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
  });
});
