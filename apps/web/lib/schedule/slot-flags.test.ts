import { describe, expect, it } from 'vitest';
import type { Slot } from '../api/types';
import { slotClock, slotFlag } from './slot-flags';

const slot = (extra: Partial<Slot>): Slot => ({ utc: '2027-10-31T00:30:00.000Z', local: '2027-10-31T01:30:00+01:00', timezone: 'Europe/London', dayLengthHours: 25, status: 'fires', ...extra });

describe('slotFlag', () => {
  it('names the occurrence, the shift and a skip', () => {
    expect(slotFlag(slot({ ambiguous: 'first' }))).toBe('ambiguous: first');
    expect(slotFlag(slot({ ambiguous: 'last', status: 'skipped' }))).toBe('skipped by policy · ambiguous: last');
    expect(slotFlag(slot({ shiftedFrom: ['02:30'], dayLengthHours: 23 }))).toBe('shifted from 02:30');
    expect(slotFlag(slot({ shiftedFrom: ['02:00', '02:05', '02:10', '02:15'] }))).toBe('shifted from 02:00–02:15');
    expect(slotFlag(slot({ status: 'skipped', missingWall: '02:30', dayLengthHours: 23 }))).toBe('02:30 does not exist: skipped by policy');
  });

  it('says the day is short or long when nothing else is special, and nothing on an ordinary day', () => {
    expect(slotFlag(slot({}))).toBe('25 h day');
    expect(slotFlag(slot({ dayLengthHours: 24 }))).toBeNull();
  });
});

describe('slotClock', () => {
  it('shows a missing time as the cron named it', () => {
    expect(slotClock(slot({ status: 'skipped', missingWall: '01:30' }), '2027-03-28 02:00')).toBe('2027-03-28 01:30');
    expect(slotClock(slot({}), '2027-03-28 02:00')).toBe('2027-03-28 02:00');
  });
});
