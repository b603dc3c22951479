import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { useTemporalClient } from './testing/temporal-client';
import { ZoneTimeline } from './timezone';
import { evenBucketCalendars, TemporalZones, ZoneProbeError, type ZoneDisagreement } from './zone-data';

const client = useTemporalClient();
const from = Date.UTC(2026, 0, 1);
const to = Date.UTC(2027, 11, 31);
const show = (tl: ZoneTimeline) => tl.transitionsIn(from, to).map((t) => `${new Date(t.at).toISOString()} ${t.before / 60_000}→${t.after / 60_000}`);

/** A client whose schedule creations are counted (every probe is a throwaway schedule). */
function counting(c: Client): { client: Client; creates: () => number } {
  let n = 0;
  const schedule = new Proxy(c.schedule, {
    get: (target, prop, receiver) =>
      prop === 'create'
        ? (...args: Parameters<typeof target.create>) => {
            n++;
            return target.create(...args);
          }
        : Reflect.get(target, prop, receiver),
  });
  return { client: new Proxy(c, { get: (target, prop, receiver) => (prop === 'schedule' ? schedule : Reflect.get(target, prop, receiver)) }), creates: () => n };
}

describe("the Temporal server's zone data, probed", { timeout: 120_000 }, () => {
  it.each([
    ['Europe/London', 4],
    ['Australia/Lord_Howe', 4], // 30-minute changes
    ['Antarctica/Troll', 4], // 2-hour changes
    ['Pacific/Chatham', 4], // +12:45 / +13:45
    ['America/Santiago', 4], // at midnight
    ['Asia/Kolkata', 0],
  ])('%s: the same %i transitions as ICU has, to the minute', async (tz, count) => {
    const disagreements: ZoneDisagreement[] = [];
    const zones = new TemporalZones(client(), { taskQueue: 'tk-test', onDisagreement: (d) => disagreements.push(d) });
    const timeline = await zones.timeline(tz, from, to);
    expect(show(timeline)).toEqual(show(new ZoneTimeline(tz, from, to)));
    expect(show(timeline)).toHaveLength(count);
    expect(disagreements).toEqual([]);
    expect(() => timeline.offsetAt(Date.UTC(2035, 0, 1))).toThrow(RangeError);
  });

  it('asks Temporal once per zone and two-year block, until the data is a day old', async () => {
    let now = Date.UTC(2026, 5, 1);
    const { client: c, creates } = counting(client());
    const zones = new TemporalZones(c, { taskQueue: 'tk-test', now: () => now });
    await zones.timeline('Europe/Berlin', Date.UTC(2026, 2, 1), Date.UTC(2026, 11, 1));
    const first = creates();
    expect(first).toBe(2); // noons, and the minutes around both changes
    await zones.timeline('Europe/Berlin', Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1));
    expect(creates()).toBe(first);
    now += 86_400_000;
    await zones.timeline('Europe/Berlin', Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1));
    expect(creates()).toBe(2 * first);
  });

  it('finds the changes ICU does not expect as well, in a second round', async () => {
    const { client: c, creates } = counting(client());
    // An ICU that expects no change at all: the probe finds them anyway, and reports the disagreement.
    const disagreements: ZoneDisagreement[] = [];
    const noChanges = (tz: string, a: number, b: number) => new ZoneTimeline(tz, a, b, { startOffset: new ZoneTimeline(tz, a, a + 1).offsetAt(a), transitions: [] });
    const zones = new TemporalZones(c, { taskQueue: 'tk-test', icu: noChanges, onDisagreement: (d) => disagreements.push(d) });
    const timeline = await zones.timeline('Australia/Lord_Howe', Date.UTC(2026, 2, 1), Date.UTC(2026, 11, 1));
    expect(show(timeline)).toEqual(show(new ZoneTimeline('Australia/Lord_Howe', from, to)));
    expect(creates()).toBe(2);
    expect(disagreements.map((d) => [d.timezone, d.temporal.length, d.intl.length])).toEqual([['Australia/Lord_Howe', 4, 0]]);
  });

  it('in the background mode, answers with ICU until the probe is in, then with Temporal', async () => {
    const wrong = (tz: string, a: number, b: number) => new ZoneTimeline(tz, a, b, { startOffset: 0, transitions: [] });
    const zones = new TemporalZones(client(), { taskQueue: 'tk-test', background: true, icu: wrong });
    const before = await zones.timeline('Europe/London', Date.UTC(2026, 2, 1), Date.UTC(2026, 11, 1));
    expect(show(before)).toEqual([]);
    await zones.settled();
    const after = await zones.timeline('Europe/London', Date.UTC(2026, 2, 1), Date.UTC(2026, 11, 1));
    expect(show(after)).toEqual(show(new ZoneTimeline('Europe/London', from, to)));
  });

  it('refuses a clock change it cannot probe', () => {
    expect(() => evenBucketCalendars(7, 'X/Y')).toThrow(ZoneProbeError);
    expect(evenBucketCalendars(60, 'X/Y')).toHaveLength(12);
    expect(evenBucketCalendars(30, 'X/Y')).toHaveLength(24);
  });
});
