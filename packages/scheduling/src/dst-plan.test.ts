import type { DstPolicy } from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { parseCron } from './cron';
import { planFor, planSpan, planWindows } from './dst-plan';
import { formatWall, ZoneTimeline } from './timezone';

// Pure arithmetic on ICU's zone data: no Temporal here (dst-proof.test.ts checks the schedules).
const zone = (tz: string) => new ZoneTimeline(tz, Date.UTC(2026, 0, 1), Date.UTC(2028, 0, 1));
const policy = (repeated: DstPolicy['repeated'], missing: DstPolicy['missing']): DstPolicy => ({ repeated, missing });
const year = (cron: string, tz: string, p: DstPolicy) => planWindows(parseCron(cron), zone(tz), p, Date.UTC(2027, 0, 1), Date.UTC(2028, 0, 1));
const iso = (t: number) => new Date(t).toISOString().slice(5, 16);

describe('planWindows', () => {
  it('takes the changed hours plus 2 hours each side of wall time, per transition', () => {
    const windows = year('*/5 * * * *', 'Europe/London', policy('first', 'shift'));
    expect(windows.map((w) => [formatWall(w.wallFrom), formatWall(w.wallTo)])).toEqual([
      ['2027-03-27T23:00:00', '2027-03-28T04:00:00'],
      ['2027-10-30T23:00:00', '2027-10-31T04:00:00'],
    ]);
  });

  it('repeated times: the policy picks occurrences, the other one stays listed as not firing', () => {
    for (const [repeated, fires] of [['first', [true, false]], ['last', [false, true]], ['both', [true, true]]] as const) {
      const [, autumn] = year('30 1 * * *', 'Europe/London', policy(repeated, 'shift'));
      expect(autumn.slots.map((s) => [iso(s.at), s.ambiguous, s.fires])).toEqual([
        ['10-31T00:30', 'first', fires[0]],
        ['10-31T01:30', 'last', fires[1]],
      ]);
    }
  });

  it('missing times: shifted to the end of the gap and merged into a slot there, or skipped at the transition', () => {
    const [spring] = year('*/30 * * * *', 'America/New_York', policy('first', 'shift'));
    const atGapEnd = spring.slots.find((s) => iso(s.at) === '03-14T07:00');
    expect(atGapEnd?.fires).toBe(true);
    expect(atGapEnd?.shiftedFrom?.map((w) => formatWall(w).slice(11, 16))).toEqual(['02:00', '02:30']);
    const [skipped] = year('*/30 * * * *', 'America/New_York', policy('first', 'skip'));
    expect(skipped.slots.filter((s) => !s.fires).map((s) => [iso(s.at), formatWall(s.wall).slice(11, 16), s.missing])).toEqual([
      ['03-14T07:00', '02:00', true],
      ['03-14T07:00', '02:30', true],
    ]);
  });

  it('midnight changes (Santiago): the repeated hour is 23:00 of the day before', () => {
    const windows = year('30 23 * * *', 'America/Santiago', policy('both', 'shift'));
    const autumn = windows.find((w) => w.slots.some((s) => s.ambiguous));
    expect(autumn?.slots.filter((s) => s.ambiguous).map((s) => [iso(s.at), s.ambiguous])).toEqual([
      ['04-04T02:30', 'first'],
      ['04-04T03:30', 'last'],
    ]);
  });

  it('leaves out windows without slots (a noon cron never meets a 01:00 change)', () => {
    expect(year('0 12 * * *', 'Europe/London', policy('first', 'shift'))).toEqual([]);
  });
});

describe('planFor and planSpan', () => {
  it('spans whole months, 12 back and 14 ahead', () => {
    const span = planSpan(Date.UTC(2027, 4, 17, 12));
    expect([new Date(span.from).toISOString(), new Date(span.until).toISOString()]).toEqual(['2026-05-01T00:00:00.000Z', '2028-07-01T00:00:00.000Z']);
  });

  it('hashes what the schedules carry: the policy changes it only where it changes what fires', () => {
    const span = { from: Date.UTC(2026, 0, 1), until: Date.UTC(2027, 11, 1) };
    const plan = (cron: string, p: DstPolicy) => planFor(parseCron(cron), zone('Europe/London'), p, span).hash;
    expect(plan('*/5 * * * *', policy('first', 'shift'))).not.toBe(plan('*/5 * * * *', policy('last', 'shift')));
    // Every missing 01:xx runs in the 02:00 BST slot with "shift", which "skip" runs too: same schedules.
    expect(plan('*/5 * * * *', policy('first', 'shift'))).toBe(plan('*/5 * * * *', policy('first', 'skip')));
    expect(planFor(null, null, policy('first', 'shift'), span).windows).toEqual([]);
  });
});
