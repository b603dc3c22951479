import { describe, expect, it } from 'vitest';
import { matchingTimes, matchingTimesBetween } from './matching-times';
import { useTemporalClient } from './testing/temporal-client';
import { withPreviewSchedule } from './throwaway-schedule';

const client = useTemporalClient();

/** Temporal's own matching times for a bare cron in a zone, (after, until], as "HH:MM" UTC. */
const bare = (cron: string, timezone: string, after: string, until: string) =>
  withPreviewSchedule(client(), { cronExpressions: [cron], timezone }, 'tk-test', async (id) =>
    (await matchingTimesBetween(client(), id, Date.parse(after), Date.parse(until))).map((t) => new Date(t).toISOString().slice(5, 16)),
  );

// What Temporal 1.32 (CLI 1.9.1 dev server) does on its own around clock changes, pinned so that a
// server upgrade that changes it is noticed. Timekeeper does not rely on any of it: the schedules it
// writes skip these windows and fire the job's DST policy as explicit instants (dst-plan.ts).
describe("Temporal's own matcher around clock changes", { timeout: 30_000 }, () => {
  it('New York: a spring-gap time is dropped; an autumn repeat fires twice', async () => {
    expect(await bare('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual(['03-07T07:30', '03-09T06:30']);
    expect(await bare('30 1 * * *', 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')).toEqual(['11-01T05:30', '11-01T06:30']);
  });

  it('London: a daily repeat fires only the second time, an hourly one only the first, and valid times go missing', async () => {
    expect(await bare('30 1 * * *', 'Europe/London', '2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual(['10-25T01:30']);
    expect(await bare('0 * * * *', 'Europe/London', '2026-10-24T23:30:00Z', '2026-10-25T03:00:00Z')).toEqual(['10-25T00:00', '10-25T02:00', '10-25T03:00']);
    // 01:10-01:55 fire in neither occurrence; 02:00 and 02:05 GMT exist once and do not fire.
    expect(await bare('*/5 * * * *', 'Europe/London', '2027-10-30T23:59:59Z', '2027-10-31T02:15:00Z')).toEqual(['10-31T00:00', '10-31T01:05', '10-31T02:10', '10-31T02:15']);
    // Where the listing starts changes the answer: from 00:59:59Z it is 02:00Z, 02:05Z, ...
    expect(await bare('*/5 * * * *', 'Europe/London', '2027-10-31T00:59:59Z', '2027-10-31T02:05:00Z')).toEqual(['10-31T02:00', '10-31T02:05']);
  });

  it('Lord Howe (30-minute change): a spring-gap time fires 30 minutes late', async () => {
    expect(await bare('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z')).toEqual(['10-03T15:45']);
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

  it('matchingTimesBetween lists (after, until] across pages', async () => {
    const after = Date.parse('2026-01-01T00:00:00Z');
    const times = await withPreviewSchedule(client(), { cronExpressions: ['* * * * * * *'] }, 'tk-test', (id) => matchingTimesBetween(client(), id, after, after + 1500_000));
    expect(times).toHaveLength(1500);
    expect(times[0]).toBe(after + 1000);
    expect(times[1499]).toBe(after + 1500_000);
  });
});
