import { describe, expect, it } from 'vitest';
import { instantCalendars, toRanges, wallRangeCalendars } from './calendars';
import { useTemporalClient } from './testing/temporal-client';
import { matchingTimesBetween } from './matching-times';
import { withPreviewSchedule } from './throwaway-schedule';

const t = (iso: string) => Date.parse(`${iso}Z`);

describe('calendar entries', () => {
  it('toRanges folds runs with one step', () => {
    expect(toRanges([0, 5, 10, 15, 3, 4])).toEqual([{ start: 0, end: 3, step: 3 }, { start: 4, end: 5 }, { start: 10, end: 15, step: 5 }]);
    expect(toRanges([7])).toEqual([7]);
    expect(toRanges([1, 2, 3])).toEqual([{ start: 1, end: 3 }]);
  });

  it('a wall range becomes whole hours per day, then minutes, then seconds', () => {
    expect(wallRangeCalendars(t('2027-03-27T23:00:00'), t('2027-03-28T04:00:00'))).toEqual([
      { year: 2027, month: 'MARCH', dayOfMonth: 27, hour: 23, minute: '*', second: '*', comment: undefined },
      { year: 2027, month: 'MARCH', dayOfMonth: 28, hour: { start: 0, end: 3 }, minute: '*', second: '*', comment: undefined },
    ]);
    expect(wallRangeCalendars(t('2026-12-31T23:59:50'), t('2027-01-01T00:10:00'))).toEqual([
      { year: 2026, month: 'DECEMBER', dayOfMonth: 31, hour: 23, minute: 59, second: { start: 50, end: 59 }, comment: undefined },
      { year: 2027, month: 'JANUARY', dayOfMonth: 1, hour: 0, minute: { start: 0, end: 9 }, second: '*', comment: undefined },
    ]);
  });

  it('instants become one entry per UTC hour and set of seconds', () => {
    const instants = ['2027-10-31T00:00:00', '2027-10-31T00:05:00', '2027-10-31T00:10:00', '2027-10-31T00:11:30', '2027-10-31T01:00:00'].map(t);
    expect(instantCalendars(instants)).toEqual([
      { year: 2027, month: 'OCTOBER', dayOfMonth: 31, hour: 0, minute: [{ start: 0, end: 10, step: 5 }], second: [0], comment: undefined },
      { year: 2027, month: 'OCTOBER', dayOfMonth: 31, hour: 0, minute: [11], second: [30], comment: undefined },
      { year: 2027, month: 'OCTOBER', dayOfMonth: 31, hour: 1, minute: [0], second: [0], comment: undefined },
    ]);
  });
});

describe('Temporal reads them as meant', { timeout: 30_000 }, () => {
  const client = useTemporalClient();

  it('UTC instant entries fire exactly those instants', async () => {
    const instants = [...Array(40).keys()].map((i) => t('2027-10-30T22:00:00') + i * 7 * 60_000 + (i % 3) * 15_000);
    const got = await withPreviewSchedule(client(), { calendars: instantCalendars(instants), timezone: 'UTC' }, 'tk-test', (id) =>
      matchingTimesBetween(client(), id, instants[0] - 1000, instants[instants.length - 1] + 86_400_000),
    );
    expect(got).toEqual(instants);
  });

  it('a skipped wall range removes both occurrences of a repeated hour and nothing else', async () => {
    // London, autumn 2027: 01:00-01:59 happens twice; skip wall 01:00-02:00 from every 15 minutes of
    // absolute time (an interval: a cron here would add Temporal's own errors, which spill an hour past).
    const spec = { intervals: [{ every: 900_000 }], timezone: 'Europe/London', skip: wallRangeCalendars(t('2027-10-31T01:00:00'), t('2027-10-31T02:00:00')) };
    const got = await withPreviewSchedule(client(), spec, 'tk-test', (id) => matchingTimesBetween(client(), id, t('2027-10-30T22:59:59'), t('2027-10-31T03:00:00')));
    expect(got.map((x) => new Date(x).toISOString().slice(11, 16))).toEqual(['23:00', '23:15', '23:30', '23:45', '02:00', '02:15', '02:30', '02:45', '03:00']);
  });
});
