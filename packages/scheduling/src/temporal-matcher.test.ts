import { describe, expect, it } from 'vitest';
import { annotateFireTimes, listFireTimes, matchingTimes, type FireTime } from './fire-times';
import { previewFireTimes, withPreviewSchedule } from './preview';
import { useTemporalClient } from './testing/temporal-client';

const client = useTemporalClient();

type Row = [utc: string, local: string, dayLengthHours: number, wallTime: FireTime['wallTime']];
const rows = (times: FireTime[]): Row[] => times.map((t) => [t.utc, t.local, t.dayLengthHours, t.wallTime]);
const preview = (cron: string, timezone: string, from: string, count: number) =>
  previewFireTimes(client(), { cron, timezone, count, from: new Date(from), taskQueue: 'tk-test' });

// What Temporal 1.32 (CLI 1.9.1 dev server) actually returns around DST, observed and pinned here:
//
// zone              spring gap (wall time missing)          autumn overlap (wall time twice)
// America/New_York  skipped, no run that day                fires at both (EDT, then EST)
// Europe/London     skipped                                 daily 01:30: only the second (GMT)
//                                                           hourly 01:00: only the first (BST)
// Australia/Sydney  skipped                                 daily 02:30: only the second (AEST)
//                                                           hourly 02:00: only the first (AEDT)
// Asia/Shanghai     no DST: every day 24 h, nothing flagged
// Lord Howe (30 min) 02:15 fires at 02:45 ("shifted");      01:30 only the second; 01:30-02:30 of
//                   */15 skips 02:00 and 02:15               valid */15 slots are not fired at all
describe('DST table against the real Temporal server', { timeout: 30_000 }, () => {
  describe('America/New_York', () => {
    it('30 2 * * * in the spring gap: 02:30 on 03-08 is skipped, not shifted', async () => {
      const times = await preview('30 2 * * *', 'America/New_York', '2026-03-06T00:00:00Z', 4);
      expect(rows(times)).toEqual([
        ['2026-03-06T07:30:00.000Z', '2026-03-06T02:30:00-05:00', 24, 'normal'],
        ['2026-03-07T07:30:00.000Z', '2026-03-07T02:30:00-05:00', 24, 'normal'],
        ['2026-03-09T06:30:00.000Z', '2026-03-09T02:30:00-04:00', 24, 'normal'],
        ['2026-03-10T06:30:00.000Z', '2026-03-10T02:30:00-04:00', 24, 'normal'],
      ]);
      expect(times[2].skippedBefore).toEqual([{ wall: '2026-03-08T02:30:00' }]);
      expect(times[2].note).toBe('02:30 does not exist on 2026-03-08 in America/New_York (clocks jump 02:00→03:00); Temporal skips it');
    });

    it('30 1 * * * in the autumn overlap: fires twice', async () => {
      const times = await preview('30 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', 4);
      expect(rows(times)).toEqual([
        ['2026-10-31T05:30:00.000Z', '2026-10-31T01:30:00-04:00', 24, 'normal'],
        ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00-04:00', 25, 'ambiguous'],
        ['2026-11-01T06:30:00.000Z', '2026-11-01T01:30:00-05:00', 25, 'ambiguous'],
        ['2026-11-02T06:30:00.000Z', '2026-11-02T01:30:00-05:00', 24, 'normal'],
      ]);
      expect(times[1].note).toBe(
        '01:30 occurs twice on 2026-11-01 in America/New_York (clocks fall back 02:00→01:00); Temporal fires at both (-04:00 and -05:00)',
      );
    });

    it('0 * * * * across spring: 02:00 skipped, the day is 23 hours', async () => {
      const times = await preview('0 * * * *', 'America/New_York', '2026-03-08T05:30:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-03-08T06:00:00.000Z', '2026-03-08T01:00:00-05:00', 23, 'normal'],
        ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00-04:00', 23, 'normal'],
        ['2026-03-08T08:00:00.000Z', '2026-03-08T04:00:00-04:00', 23, 'normal'],
      ]);
      expect(times[0].note).toBe('2026-03-08 is 23 hours long in America/New_York (clocks jump 02:00→03:00)');
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-03-08T02:00:00' }]);
    });

    it('0 * * * * across autumn: 01:00 fires twice, the day is 25 hours', async () => {
      const times = await preview('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 4);
      expect(rows(times)).toEqual([
        ['2026-11-01T05:00:00.000Z', '2026-11-01T01:00:00-04:00', 25, 'ambiguous'],
        ['2026-11-01T06:00:00.000Z', '2026-11-01T01:00:00-05:00', 25, 'ambiguous'],
        ['2026-11-01T07:00:00.000Z', '2026-11-01T02:00:00-05:00', 25, 'normal'],
        ['2026-11-01T08:00:00.000Z', '2026-11-01T03:00:00-05:00', 25, 'normal'],
      ]);
      expect(times.every((t) => !t.skippedBefore)).toBe(true);
    });
  });

  describe('Europe/London', () => {
    it('30 1 * * * in the spring gap: skipped', async () => {
      const times = await preview('30 1 * * *', 'Europe/London', '2026-03-28T00:00:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-03-28T01:30:00.000Z', '2026-03-28T01:30:00+00:00', 24, 'normal'],
        ['2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00+01:00', 24, 'normal'],
        ['2026-03-31T00:30:00.000Z', '2026-03-31T01:30:00+01:00', 24, 'normal'],
      ]);
      expect(times[1].note).toBe('01:30 does not exist on 2026-03-29 in Europe/London (clocks jump 01:00→02:00); Temporal skips it');
    });

    it('30 1 * * * in the autumn overlap: fires once, at the second (GMT) 01:30', async () => {
      const times = await preview('30 1 * * *', 'Europe/London', '2026-10-24T00:00:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-10-24T00:30:00.000Z', '2026-10-24T01:30:00+01:00', 24, 'normal'],
        ['2026-10-25T01:30:00.000Z', '2026-10-25T01:30:00+00:00', 25, 'ambiguous'],
        ['2026-10-26T01:30:00.000Z', '2026-10-26T01:30:00+00:00', 24, 'normal'],
      ]);
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-10-25T01:30:00', utc: '2026-10-25T00:30:00.000Z' }]);
      expect(times[1].note).toBe(
        '01:30 occurs twice on 2026-10-25 in Europe/London (clocks fall back 02:00→01:00); Temporal fires only at the second one (+00:00), not at +01:00',
      );
    });

    it('0 * * * * across spring: 01:00 skipped, 23 hours', async () => {
      const times = await preview('0 * * * *', 'Europe/London', '2026-03-28T23:30:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-03-29T00:00:00.000Z', '2026-03-29T00:00:00+00:00', 23, 'normal'],
        ['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00+01:00', 23, 'normal'],
        ['2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00+01:00', 23, 'normal'],
      ]);
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-03-29T01:00:00' }]);
    });

    it('0 * * * * across autumn: the first 01:00 fires, the second does not', async () => {
      const times = await preview('0 * * * *', 'Europe/London', '2026-10-24T23:30:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00+01:00', 25, 'ambiguous'],
        ['2026-10-25T02:00:00.000Z', '2026-10-25T02:00:00+00:00', 25, 'normal'],
        ['2026-10-25T03:00:00.000Z', '2026-10-25T03:00:00+00:00', 25, 'normal'],
      ]);
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-10-25T01:00:00', utc: '2026-10-25T01:00:00.000Z' }]);
      expect(times[1].note).toBe(
        'Temporal does not fire at 01:00 (+00:00) on 2026-10-25, although the cron names it (clocks fall back 02:00→01:00)',
      );
    });
  });

  describe('Australia/Sydney', () => {
    it('30 2 * * * in the autumn overlap (April): fires once, at the second (AEST) 02:30', async () => {
      const times = await preview('30 2 * * *', 'Australia/Sydney', '2026-04-03T00:00:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-04-03T15:30:00.000Z', '2026-04-04T02:30:00+11:00', 24, 'normal'],
        ['2026-04-04T16:30:00.000Z', '2026-04-05T02:30:00+10:00', 25, 'ambiguous'],
        ['2026-04-05T16:30:00.000Z', '2026-04-06T02:30:00+10:00', 24, 'normal'],
      ]);
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-04-05T02:30:00', utc: '2026-04-04T15:30:00.000Z' }]);
    });

    it('30 2 * * * in the spring gap (October): skipped', async () => {
      const times = await preview('30 2 * * *', 'Australia/Sydney', '2026-10-03T00:00:00Z', 2);
      expect(rows(times)).toEqual([
        ['2026-10-04T15:30:00.000Z', '2026-10-05T02:30:00+11:00', 24, 'normal'],
        ['2026-10-05T15:30:00.000Z', '2026-10-06T02:30:00+11:00', 24, 'normal'],
      ]);
      expect(times[0].skippedBefore).toEqual([{ wall: '2026-10-04T02:30:00' }]);
      expect(times[0].note).toBe('02:30 does not exist on 2026-10-04 in Australia/Sydney (clocks jump 02:00→03:00); Temporal skips it');
    });

    it('0 * * * * across autumn: the first 02:00 fires, the second does not', async () => {
      const times = await preview('0 * * * *', 'Australia/Sydney', '2026-04-04T13:30:00Z', 4);
      expect(rows(times)).toEqual([
        ['2026-04-04T14:00:00.000Z', '2026-04-05T01:00:00+11:00', 25, 'normal'],
        ['2026-04-04T15:00:00.000Z', '2026-04-05T02:00:00+11:00', 25, 'ambiguous'],
        ['2026-04-04T17:00:00.000Z', '2026-04-05T03:00:00+10:00', 25, 'normal'],
        ['2026-04-04T18:00:00.000Z', '2026-04-05T04:00:00+10:00', 25, 'normal'],
      ]);
      expect(times[2].skippedBefore).toEqual([{ wall: '2026-04-05T02:00:00', utc: '2026-04-04T16:00:00.000Z' }]);
    });

    it('0 * * * * across spring: 02:00 skipped, 23 hours', async () => {
      const times = await preview('0 * * * *', 'Australia/Sydney', '2026-10-03T14:30:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-10-03T15:00:00.000Z', '2026-10-04T01:00:00+10:00', 23, 'normal'],
        ['2026-10-03T16:00:00.000Z', '2026-10-04T03:00:00+11:00', 23, 'normal'],
        ['2026-10-03T17:00:00.000Z', '2026-10-04T04:00:00+11:00', 23, 'normal'],
      ]);
      expect(times[1].skippedBefore).toEqual([{ wall: '2026-10-04T02:00:00' }]);
    });
  });

  describe('Asia/Shanghai (no DST)', () => {
    it.each([
      ['30 2 * * *', '2026-03-07T00:00:00Z'],
      ['0 * * * *', '2026-11-01T05:30:00Z'],
    ])('%s: nothing flagged', async (cron, from) => {
      const times = await preview(cron, 'Asia/Shanghai', from, 24);
      expect(times).toHaveLength(24);
      expect(times.every((t) => t.dayLengthHours === 24 && t.wallTime === 'normal' && !t.note && !t.skippedBefore)).toBe(true);
    });

    it('30 2 * * * is 18:30Z the day before', async () => {
      expect(rows(await preview('30 2 * * *', 'Asia/Shanghai', '2026-03-07T00:00:00Z', 2))).toEqual([
        ['2026-03-07T18:30:00.000Z', '2026-03-08T02:30:00+08:00', 24, 'normal'],
        ['2026-03-08T18:30:00.000Z', '2026-03-09T02:30:00+08:00', 24, 'normal'],
      ]);
    });
  });

  describe('Australia/Lord_Howe (30-minute DST)', () => {
    it('15 2 * * * in the spring gap: Temporal fires 30 minutes late, at 02:45 (shifted)', async () => {
      const times = await preview('15 2 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z', 3);
      expect(rows(times)).toEqual([
        ['2026-10-02T15:45:00.000Z', '2026-10-03T02:15:00+10:30', 24, 'normal'],
        ['2026-10-03T15:45:00.000Z', '2026-10-04T02:45:00+11:00', 23.5, 'shifted'],
        ['2026-10-04T15:15:00.000Z', '2026-10-05T02:15:00+11:00', 24, 'normal'],
      ]);
      expect(times[1].note).toBe('02:15 does not exist on 2026-10-04 in Australia/Lord_Howe (clocks jump 02:00→02:30); Temporal fires at 02:45 instead');
      expect(times[1].skippedBefore).toBeUndefined();
    });

    it('*/15 * * * * across autumn: a whole run of valid slots is not fired', async () => {
      const times = await preview('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', 5);
      expect(rows(times)).toEqual([
        ['2026-04-04T14:00:00.000Z', '2026-04-05T01:00:00+11:00', 24.5, 'normal'],
        ['2026-04-04T14:15:00.000Z', '2026-04-05T01:15:00+11:00', 24.5, 'normal'],
        ['2026-04-04T15:00:00.000Z', '2026-04-05T01:30:00+10:30', 24.5, 'ambiguous'],
        ['2026-04-04T16:15:00.000Z', '2026-04-05T02:45:00+10:30', 24.5, 'normal'],
        ['2026-04-04T16:30:00.000Z', '2026-04-05T03:00:00+10:30', 24.5, 'normal'],
      ]);
      expect(times[2].skippedBefore?.map((s) => s.utc)).toEqual(['2026-04-04T14:30:00.000Z', '2026-04-04T14:45:00.000Z']);
      expect(times[3].skippedBefore?.map((s) => s.wall)).toEqual([
        '2026-04-05T01:45:00',
        '2026-04-05T02:00:00',
        '2026-04-05T02:15:00',
        '2026-04-05T02:30:00',
      ]);
    });
  });
});

describe('matchingTimes', { timeout: 30_000 }, () => {
  it('includes `from` itself and pages past the server cap of 1000 per call', async () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const times = await withPreviewSchedule(client(), { cronExpressions: ['* * * * * * *'] }, 'tk-test', (id) => matchingTimes(client(), id, from, 2500));
    expect(times).toHaveLength(2500);
    expect(times[0].toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(times.every((t, i) => t.getTime() === from.getTime() + i * 1000)).toBe(true);
  });

  it('stops at the horizon', async () => {
    const from = new Date('2026-06-01T00:00:00Z');
    const times = await withPreviewSchedule(client(), { cronExpressions: ['@yearly'] }, 'tk-test', (id) =>
      matchingTimes(client(), id, from, 10, 2 * 366 * 86_400_000),
    );
    expect(times.map((t) => t.toISOString())).toEqual(['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']);
  });

  it('fills 10 yearly times with the default horizon', async () => {
    const times = await withPreviewSchedule(client(), { cronExpressions: ['@yearly'] }, 'tk-test', (id) =>
      matchingTimes(client(), id, new Date('2026-06-01T00:00:00Z'), 10),
    );
    expect(times).toHaveLength(10);
    expect(times[9].toISOString()).toBe('2036-01-01T00:00:00.000Z');
  });
});

describe('listFireTimes', { timeout: 30_000 }, () => {
  it('does not call jittered times shifted', async () => {
    const spec = { cronExpressions: ['0 * * * *'], timezone: 'Europe/London', jitter: 1_800_000 };
    const times = await withPreviewSchedule(client(), spec, 'tk-test', (scheduleId) =>
      listFireTimes(client(), { scheduleId, timezone: 'Europe/London', cron: '0 * * * *', jitterMs: 1_800_000, count: 5, from: new Date('2026-01-01T00:00:00Z') }),
    );
    expect(times).toHaveLength(5);
    // Temporal's times carry the jitter (to the millisecond); none sits on the hour.
    expect(times.every((t) => t.wallTime === 'normal' && !t.utc.endsWith(':00:00.000Z'))).toBe(true);
  });
});

describe('annotateFireTimes without Temporal', () => {
  it('returns nothing for no times', () => {
    expect(annotateFireTimes([], 'UTC')).toEqual([]);
  });

  it('flags an interval run in the overlap without claiming what a cron would do', () => {
    const [t] = annotateFireTimes([new Date('2026-11-01T05:30:00Z')], 'America/New_York');
    expect(t).toEqual({
      utc: '2026-11-01T05:30:00.000Z',
      local: '2026-11-01T01:30:00-04:00',
      timezone: 'America/New_York',
      dayLengthHours: 25,
      wallTime: 'ambiguous',
      note: '01:30 occurs twice on 2026-11-01 in America/New_York (clocks fall back 02:00→01:00); this run is the first one (-04:00)',
    });
  });

  it('would call a run at 03:30 for "30 2 * * *" shifted (Temporal skips instead in New York)', () => {
    const [t] = annotateFireTimes([new Date('2026-03-08T07:30:00Z')], 'America/New_York', '30 2 * * *', { from: new Date('2026-03-08T00:00:00Z') });
    expect(t.wallTime).toBe('shifted');
    expect(t.note).toBe('02:30 does not exist on 2026-03-08 in America/New_York (clocks jump 02:00→03:00); Temporal fires at 03:30 instead');
  });

  it('rejects an invalid cron', () => {
    expect(() => annotateFireTimes([new Date()], 'UTC', '61 * * * *')).toThrow('minute field "61" is out of range 0-59');
  });
});
