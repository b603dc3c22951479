import { describe, expect, it } from 'vitest';
import { checkTimezone, describeTransition, formatOffset, localIso, offsetAt, ZoneTimeline } from './timezone';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const wall = (iso: string) => Date.parse(`${iso}Z`);
const year2026 = (tz: string) => new ZoneTimeline(tz, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));

describe('checkTimezone', () => {
  it.each(['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'US/Pacific', 'Etc/GMT+5', 'Asia/Shanghai'])('accepts %s', (tz) => {
    expect(checkTimezone(tz)).toBeNull();
  });

  it.each([
    ['Mars/Olympus', 'unknown time zone "Mars/Olympus"'],
    ['+05:00', 'unknown time zone "+05:00"'],
    ['Local', 'unknown time zone "Local"'],
    ['', 'time zone is empty'],
    [' UTC', 'time zone " UTC" has leading or trailing spaces'],
    // Intl would take these, Temporal's server would not.
    ['america/new_york', 'unknown time zone "america/new_york" (names are case-sensitive; did you mean "America/New_York"?)'],
    ['utc', 'unknown time zone "utc" (names are case-sensitive; did you mean "UTC"?)'],
    ['us/pacific', 'unknown time zone "us/pacific" (names are case-sensitive; did you mean "America/Los_Angeles"?)'],
  ])('rejects %j', (tz, message) => {
    expect(checkTimezone(tz)).toBe(message);
  });
});

describe('offsets and local times', () => {
  it('reads the offset in force at an instant', () => {
    expect(offsetAt(at('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(offsetAt(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(offsetAt(at('2026-04-04T15:00:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * HOUR);
  });

  it('formats offsets and local ISO times', () => {
    expect(formatOffset(-4 * HOUR)).toBe('-04:00');
    expect(formatOffset(10.5 * HOUR)).toBe('+10:30');
    expect(formatOffset(0)).toBe('+00:00');
    expect(localIso(at('2026-03-08T07:30:00Z'), 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
    expect(localIso(at('2026-03-08T07:30:00Z'), 'UTC')).toBe('2026-03-08T07:30:00+00:00');
  });
});

describe('ZoneTimeline', () => {
  it('finds each transition to the second', () => {
    expect(year2026('America/New_York').transitions).toEqual([
      { at: at('2026-03-08T07:00:00Z'), before: -5 * HOUR, after: -4 * HOUR },
      { at: at('2026-11-01T06:00:00Z'), before: -4 * HOUR, after: -5 * HOUR },
    ]);
    expect(year2026('Asia/Shanghai').transitions).toEqual([]);
    expect(year2026('Australia/Lord_Howe').transitions.map(describeTransition)).toEqual([
      'clocks fall back 02:00→01:30',
      'clocks jump 02:00→02:30',
    ]);
  });

  it('gives no instant for a wall time in a gap and two in an overlap', () => {
    const ny = year2026('America/New_York');
    expect(ny.instantsOf(wall('2026-03-08T02:30:00'))).toEqual([]);
    expect(ny.instantsOf(wall('2026-03-08T03:30:00'))).toEqual([at('2026-03-08T07:30:00Z')]);
    expect(ny.instantsOf(wall('2026-11-01T01:30:00'))).toEqual([at('2026-11-01T05:30:00Z'), at('2026-11-01T06:30:00Z')]);
  });

  it.each([
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
    ['America/New_York', '2026-07-01', 24],
    ['Europe/London', '2026-03-29', 23],
    ['Europe/London', '2026-10-25', 25],
    ['Australia/Sydney', '2026-04-05', 25],
    ['Australia/Sydney', '2026-10-04', 23],
    ['Australia/Lord_Howe', '2026-04-05', 24.5],
    ['Australia/Lord_Howe', '2026-10-04', 23.5],
    ['Asia/Shanghai', '2026-03-08', 24],
    // DST starts at midnight here: the day begins at 01:00.
    ['America/Santiago', '2026-09-06', 23],
    ['America/Havana', '2026-03-08', 23],
  ])('%s %s is %d hours long', (tz, date, hours) => {
    expect(year2026(tz).dayLengthHours(wall(`${date}T12:00:00`))).toBe(hours);
  });

  it('starts a day whose midnight was skipped at the jump', () => {
    expect(year2026('America/Santiago').startOfDay(wall('2026-09-06T12:00:00'))).toBe(at('2026-09-06T04:00:00Z'));
    expect(localIso(at('2026-09-06T04:00:00Z'), 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });
});
