import { describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { SlotPlanner } from './expected-slots';
import { checkPreview, previewSlots, type PreviewOptions } from './preview';
import { ScheduleInputError } from './schedule-input-error';
import { useTemporalClient } from './testing/temporal-client';
import { PREVIEW_ID_PREFIX, withPreviewSchedule } from './throwaway-schedule';
import { TemporalZones } from './zone-data';

const client = useTemporalClient();

const base: PreviewOptions = { timezone: 'UTC', count: 5, from: new Date('2026-01-01T00:00:00Z'), dst: { repeated: 'first', missing: 'shift' } };
let planner: SlotPlanner | undefined;
const preview = (opts: Partial<PreviewOptions>) => {
  planner ??= new SlotPlanner(client(), { taskQueue: 'tk-test', zones: new TemporalZones(client(), { taskQueue: 'tk-test' }) });
  return previewSlots(planner, { ...base, ...opts });
};
const utcs = (times: { utc: string }[]) => times.map((t) => t.utc);

describe('input is checked before Temporal is called', () => {
  it.each([
    [{ cron: '61 * * * *' }, 'cron', 'minute field "61" is out of range 0-59'],
    [{ cron: '* * * *' }, 'cron', 'expected 5 fields (or 6 with seconds first), got 4'],
    [{ cron: '0 0 * * *', timezone: 'Mars/Olympus' }, 'timezone', 'unknown time zone "Mars/Olympus"'],
    [{}, 'schedule', 'give exactly one of cron or interval'],
    [{ cron: '0 0 * * *', intervalMs: 60_000 }, 'schedule', 'give exactly one of cron or interval'],
    [{ intervalMs: 500 }, 'interval', 'interval must be a whole number of seconds, at least 1s, got 500ms'],
    [{ intervalMs: 1500 }, 'interval', 'interval must be a whole number of seconds, at least 1s, got 1500ms'],
    [{ cron: '0 0 * * *', count: 0 }, 'count', 'count must be a whole number from 1 to 1000, got 0'],
    [{ cron: '0 0 * * *', count: 1001 }, 'count', 'count must be a whole number from 1 to 1000, got 1001'],
    [{ cron: '0 0 * * *', from: new Date('1999-12-31T00:00:00Z') }, 'from', 'from must be a time in the years 2000-2099'],
    [{ cron: '0 0 * * *', from: new Date('nope') }, 'from', 'from must be a time in the years 2000-2099'],
  ] as [Partial<PreviewOptions>, string, string][])('%j → %s: %s', (opts, field, message) => {
    const run = () => checkPreview({ ...base, ...opts });
    expect(run).toThrow(ScheduleInputError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as ScheduleInputError).field).toBe(field);
    }
  });

  it('previewSlots rejects the same way', async () => {
    await expect(preview({ cron: '0 0 L * *' })).rejects.toThrow(new ScheduleInputError('cron', 'day-of-month field "L": "L" (last) is not supported'));
  });
});

describe('previewSlots against Temporal', { timeout: 30_000 }, () => {
  it('gives 30-second spacing for the 6-field seconds form', async () => {
    const times = await preview({ cron: '*/30 * * * * *', count: 6 });
    expect(utcs(times)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:02:00.000Z',
      '2026-01-01T00:02:30.000Z',
    ]);
  });

  it('includes `from` when it is a fire time, and reports both UTC and local time', async () => {
    const [first] = await preview({ cron: '0 9 * * *', timezone: 'Asia/Shanghai', from: new Date('2026-01-01T01:00:00Z'), count: 1 });
    expect(first).toEqual({ utc: '2026-01-01T01:00:00.000Z', local: '2026-01-01T09:00:00+08:00', timezone: 'Asia/Shanghai', dayLengthHours: 24, status: 'fires' });
  });

  it.each([
    ['@hourly', ['2026-01-01T05:00:00.000Z', '2026-01-01T06:00:00.000Z', '2026-01-01T07:00:00.000Z']],
    ['@daily', ['2026-01-01T05:00:00.000Z', '2026-01-02T05:00:00.000Z', '2026-01-03T05:00:00.000Z']],
    ['@midnight', ['2026-01-01T05:00:00.000Z', '2026-01-02T05:00:00.000Z', '2026-01-03T05:00:00.000Z']],
    ['@weekly', ['2026-01-04T05:00:00.000Z', '2026-01-11T05:00:00.000Z', '2026-01-18T05:00:00.000Z']],
    ['@monthly', ['2026-01-01T05:00:00.000Z', '2026-02-01T05:00:00.000Z', '2026-03-01T05:00:00.000Z']],
    ['@yearly', ['2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z', '2028-01-01T05:00:00.000Z']],
    ['@annually', ['2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z', '2028-01-01T05:00:00.000Z']],
  ])('%s in New York', async (cron, expected) => {
    const times = await preview({ cron, timezone: 'America/New_York', from: new Date('2026-01-01T04:30:00Z'), count: 3 });
    expect(utcs(times)).toEqual(expected);
  });

  it('returns 100 times', async () => {
    const times = await preview({ cron: '*/5 * * * *', count: 100 });
    expect(times).toHaveLength(100);
    expect(times[99].utc).toBe('2026-01-01T08:15:00.000Z');
  });

  it('runs intervals on fixed UTC steps from the epoch', async () => {
    expect(utcs(await preview({ intervalMs: 90 * 60_000, count: 3, from: new Date('2026-01-01T00:10:00Z') }))).toEqual([
      '2026-01-01T01:30:00.000Z',
      '2026-01-01T03:00:00.000Z',
      '2026-01-01T04:30:00.000Z',
    ]);
  });

  it('lets a daily interval drift on the wall clock across DST, flagging the short day', async () => {
    const times = await preview({ intervalMs: 86_400_000, timezone: 'America/New_York', count: 3, from: new Date('2026-03-07T12:00:00Z') });
    expect(times.map((t) => [t.local, t.dayLengthHours, t.status])).toEqual([
      ['2026-03-07T19:00:00-05:00', 24, 'fires'],
      ['2026-03-08T20:00:00-04:00', 23, 'fires'],
      ['2026-03-09T20:00:00-04:00', 24, 'fires'],
    ]);
    expect(times[1].note).toBe('2026-03-08 is 23 hours long in America/New_York (clocks jump 02:00→03:00); an interval runs in absolute time');
  });

  it.each(['UTC', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Shanghai', 'US/Pacific', 'Etc/GMT+5'])(
    'Temporal accepts the zone %s that we accept',
    async (timezone) => {
      expect(await preview({ cron: '0 12 * * *', timezone, count: 1 })).toHaveLength(1);
    },
  );

  it('reports a zone Intl accepts but Temporal does not as bad input', async () => {
    await expect(preview({ cron: '0 12 * * *', timezone: 'US/PACIFIC' })).rejects.toThrow(/^Temporal rejected the schedule: .*unknown time zone US\/PACIFIC/);
  });
});

describe('the throwaway schedule', { timeout: 30_000 }, () => {
  it('is paused, named tkpreview-…, and deleted afterwards', async () => {
    const seen = await withPreviewSchedule(client(), { cronExpressions: ['0 0 * * *'] }, 'tk-test', async (id) => {
      const description = await client().schedule.getHandle(id).describe();
      return { id, paused: description.state.paused };
    });
    expect(seen.id.startsWith(PREVIEW_ID_PREFIX)).toBe(true);
    expect(seen.paused).toBe(true);
    await expect(client().schedule.getHandle(seen.id).describe()).rejects.toThrow(ScheduleNotFoundError);
  });

  it('is deleted when listing fails, and the original error comes through', async () => {
    let id = '';
    await expect(
      withPreviewSchedule(client(), { cronExpressions: ['0 0 * * *'] }, 'tk-test', async (scheduleId) => {
        id = scheduleId;
        throw new Error('listing failed');
      }),
    ).rejects.toThrow('listing failed');
    await expect(client().schedule.getHandle(id).describe()).rejects.toThrow(ScheduleNotFoundError);
  });
});
