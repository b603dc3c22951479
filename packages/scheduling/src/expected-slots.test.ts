import type { DstPolicy, ExpectedSlot } from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { SlotPlanner } from './expected-slots';
import { useTemporalClient } from './testing/temporal-client';
import { TemporalZones } from './zone-data';

const client = useTemporalClient();
let planner: SlotPlanner | undefined;
const slots = (cron: string, timezone: string, dst: DstPolicy, from: string, to: string) => {
  planner ??= new SlotPlanner(client(), { taskQueue: 'tk-test', zones: new TemporalZones(client(), { taskQueue: 'tk-test' }) });
  return planner.expectedSlots({ cron, timezone, dst }, { from: new Date(from), to: new Date(to) });
};
const FIRST_SHIFT: DstPolicy = { repeated: 'first', missing: 'shift' };
type Row = [utc: string, local: string, status: ExpectedSlot['status'], flags: string];
const rows = (list: ExpectedSlot[]): Row[] =>
  list.map((s) => [
    s.utc.slice(5, 16),
    s.local.slice(5),
    s.status,
    [s.ambiguous && `ambiguous:${s.ambiguous}`, s.shiftedFrom && `shifted from ${s.shiftedFrom.join(',')}`, s.missingWall && `missing ${s.missingWall}`].filter(Boolean).join(' '),
  ]);

describe('expected slots around clock changes, by policy', { timeout: 60_000 }, () => {
  it('London 01:30 on the autumn change: first, last or both occurrences; a dropped one is listed as skipped', async () => {
    const range = ['2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'] as const;
    expect(rows(await slots('30 1 * * *', 'Europe/London', FIRST_SHIFT, ...range))).toEqual([
      ['10-25T00:30', '10-25T01:30:00+01:00', 'fires', 'ambiguous:first'],
      ['10-25T01:30', '10-25T01:30:00+00:00', 'skipped', 'ambiguous:last'],
      ['10-26T01:30', '10-26T01:30:00+00:00', 'fires', ''],
    ]);
    const last = await slots('30 1 * * *', 'Europe/London', { repeated: 'last', missing: 'shift' }, ...range);
    expect(rows(last).map((r) => r[2])).toEqual(['skipped', 'fires', 'fires']);
    expect(last[0].note).toBe('01:30 occurs twice on 2026-10-25 in Europe/London (clocks fall back 02:00→01:00); this is the first (+01:00), skipped by policy "last"');
    const both = await slots('30 1 * * *', 'Europe/London', { repeated: 'both', missing: 'shift' }, ...range);
    expect(rows(both).map((r) => r[2])).toEqual(['fires', 'fires', 'fires']);
    expect(both[1].note).toBe('01:30 occurs twice on 2026-10-25 in Europe/London (clocks fall back 02:00→01:00); this is the second (+00:00); policy "both" runs both');
  });

  it('London 01:30 on the spring change: shifted to 02:00 BST, or skipped and still listed', async () => {
    const range = ['2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'] as const;
    const shifted = await slots('30 1 * * *', 'Europe/London', FIRST_SHIFT, ...range);
    expect(rows(shifted)).toEqual([
      ['03-29T01:00', '03-29T02:00:00+01:00', 'fires', 'shifted from 01:30'],
      ['03-30T00:30', '03-30T01:30:00+01:00', 'fires', ''],
    ]);
    expect(shifted[0].note).toBe('01:30 does not exist on 2026-03-29 in Europe/London (clocks jump 01:00→02:00); policy "shift" runs it at 02:00');
    const skipped = await slots('30 1 * * *', 'Europe/London', { repeated: 'first', missing: 'skip' }, ...range);
    expect(rows(skipped)[0]).toEqual(['03-29T01:00', '03-29T02:00:00+01:00', 'skipped', 'missing 01:30']);
    expect(skipped[0].note).toBe('01:30 does not exist on 2026-03-29 in Europe/London (clocks jump 01:00→02:00); skipped by policy "skip"');
  });

  it('New York: missing times run once, in the slot the cron names at the end of the gap', async () => {
    const list = await slots('*/30 * * * *', 'America/New_York', FIRST_SHIFT, '2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z');
    expect(rows(list)).toEqual([
      ['03-08T06:00', '03-08T01:00:00-05:00', 'fires', ''],
      ['03-08T06:30', '03-08T01:30:00-05:00', 'fires', ''],
      ['03-08T07:00', '03-08T03:00:00-04:00', 'fires', 'shifted from 02:00,02:30'],
      ['03-08T07:30', '03-08T03:30:00-04:00', 'fires', ''],
      ['03-08T08:00', '03-08T04:00:00-04:00', 'fires', ''],
    ]);
  });

  it('Lord Howe: shift means the first instant after the gap (02:30), not Temporal\'s 02:45', async () => {
    expect(rows(await slots('15 2 * * *', 'Australia/Lord_Howe', FIRST_SHIFT, '2026-10-03T12:00:00Z', '2026-10-04T12:00:00Z'))).toEqual([
      ['10-03T15:30', '10-04T02:30:00+11:00', 'fires', 'shifted from 02:15'],
    ]);
  });

  it('Havana: midnight does not exist on the spring change and runs at 01:00', async () => {
    expect(rows(await slots('0 0 * * *', 'America/Havana', FIRST_SHIFT, '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'))).toEqual([
      ['03-08T05:00', '03-08T01:00:00-04:00', 'fires', 'shifted from 00:00'],
      ['03-09T04:00', '03-09T00:00:00-04:00', 'fires', ''],
    ]);
  });

  it('a count keeps going past a window, with skipped slots among the entries', async () => {
    planner ??= new SlotPlanner(client(), { taskQueue: 'tk-test', zones: new TemporalZones(client(), { taskQueue: 'tk-test' }) });
    const list = await planner.expectedSlots({ cron: '0 * * * *', timezone: 'Europe/London', dst: FIRST_SHIFT }, { from: new Date('2026-10-24T23:30:00Z'), count: 4 });
    expect(rows(list)).toEqual([
      ['10-25T00:00', '10-25T01:00:00+01:00', 'fires', 'ambiguous:first'],
      ['10-25T01:00', '10-25T01:00:00+00:00', 'skipped', 'ambiguous:last'],
      ['10-25T02:00', '10-25T02:00:00+00:00', 'fires', ''],
      ['10-25T03:00', '10-25T03:00:00+00:00', 'fires', ''],
    ]);
  });

  it('an interval stays in absolute time and says so', async () => {
    planner ??= new SlotPlanner(client(), { taskQueue: 'tk-test', zones: new TemporalZones(client(), { taskQueue: 'tk-test' }) });
    const list = await planner.expectedSlots({ intervalMs: 3_600_000, timezone: 'Europe/London', dst: FIRST_SHIFT }, { from: new Date('2026-10-25T00:00:00Z'), count: 3 });
    expect(rows(list)).toEqual([
      ['10-25T00:00', '10-25T01:00:00+01:00', 'fires', 'ambiguous:first'],
      ['10-25T01:00', '10-25T01:00:00+00:00', 'fires', 'ambiguous:last'],
      ['10-25T02:00', '10-25T02:00:00+00:00', 'fires', ''],
    ]);
    expect(list[1].note).toBe('01:00 occurs twice on 2026-10-25 in Europe/London (clocks fall back 02:00→01:00); this is the second (+00:00); an interval runs in absolute time');
  });
});

describe('the plan a job\'s schedules carry', { timeout: 60_000 }, () => {
  it('covers the changes from a year back to 13+ months ahead, and only windows the cron has slots in', async () => {
    planner ??= new SlotPlanner(client(), { taskQueue: 'tk-test', zones: new TemporalZones(client(), { taskQueue: 'tk-test' }) });
    const plan = await planner.plan({ cron: '*/5 * * * *', timezone: 'Europe/London', dst: FIRST_SHIFT }, new Date('2026-12-15T10:00:00Z'));
    expect([new Date(plan.from).toISOString(), new Date(plan.until).toISOString()]).toEqual(['2025-12-01T00:00:00.000Z', '2028-02-01T00:00:00.000Z']);
    expect(plan.windows.map((w) => new Date(w.transitions[0].at).toISOString())).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2027-03-28T01:00:00.000Z',
      '2027-10-31T01:00:00.000Z',
    ]);
    // The same month gives the same plan; a job whose cron never nears a change has none.
    expect((await planner.plan({ cron: '*/5 * * * *', timezone: 'Europe/London', dst: FIRST_SHIFT }, new Date('2026-12-31T23:00:00Z'))).hash).toBe(plan.hash);
    expect((await planner.plan({ cron: '0 12 * * *', timezone: 'Europe/London', dst: FIRST_SHIFT }, new Date('2026-12-15T10:00:00Z'))).windows).toEqual([]);
  });
});
