import { describe, expect, it } from 'vitest';
import type { MaintenanceWindowDto } from '@timekeeper/contracts';
import { WindowCalendar } from './windows';

// When a maintenance window is in force (pure: no services).
const base: MaintenanceWindowDto = {
  id: 1, name: 'w', reason: 'r', jobs: ['a'], tags: ['db'], mode: 'pause', from: null, to: null, cron: null, duration: null, timezone: null,
  endedAt: null, managedBy: 'console', createdBy: 't', updatedBy: 't', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const t = (iso: string) => Date.parse(iso);

describe('WindowCalendar', () => {
  const cal = new WindowCalendar();

  it('a one-off window covers [from, to); ending it early cuts it', () => {
    const w = { ...base, from: '2026-03-01T10:00:00Z', to: '2026-03-01T12:00:00Z' };
    expect(cal.occurrenceAt(w, t('2026-03-01T09:59:59Z'))).toBeNull();
    expect(cal.occurrenceAt(w, t('2026-03-01T10:00:00Z'))).toEqual({ from: t('2026-03-01T10:00:00Z'), until: t('2026-03-01T12:00:00Z') });
    expect(cal.occurrenceAt(w, t('2026-03-01T12:00:00Z'))).toBeNull();
    const ended = { ...w, endedAt: '2026-03-01T11:00:00Z' };
    expect(cal.occurrenceAt(ended, t('2026-03-01T10:30:00Z'))?.until).toBe(t('2026-03-01T11:00:00Z'));
    expect(cal.occurrenceAt(ended, t('2026-03-01T11:30:00Z'))).toBeNull();
  });

  it('a recurring window follows its zone’s wall clock across a DST change', () => {
    // 02:30-03:30 New York time on Sundays: 07:30Z in winter (EST), 06:30Z in summer (EDT).
    const w = { ...base, cron: '30 2 * * 0', duration: '1h', timezone: 'America/New_York' };
    expect(cal.occurrenceAt(w, t('2026-03-01T08:00:00Z'))).toEqual({ from: t('2026-03-01T07:30:00Z'), until: t('2026-03-01T08:30:00Z') });
    expect(cal.occurrenceAt(w, t('2026-03-01T08:30:00Z'))).toBeNull();
    // 8 March 2026: 02:30 does not exist in New York (clocks jump 02:00 -> 03:00): no occurrence.
    for (const at of ['2026-03-08T06:45:00Z', '2026-03-08T07:15:00Z', '2026-03-08T07:45:00Z']) expect(cal.occurrenceAt(w, t(at))).toBeNull();
    expect(cal.occurrenceAt(w, t('2026-03-15T07:00:00Z'))).toEqual({ from: t('2026-03-15T06:30:00Z'), until: t('2026-03-15T07:30:00Z') });
  });

  it('covers jobs by key or tag; an early end cuts only the occurrence in force', () => {
    const w = { ...base, cron: '0 * * * *', duration: '10m', timezone: 'UTC', endedAt: '2026-03-01T10:05:00Z' };
    expect(cal.activeFor([w], { key: 'a', tags: [] }, t('2026-03-01T10:03:00Z'))).toHaveLength(1);
    expect(cal.activeFor([w], { key: 'a', tags: [] }, t('2026-03-01T10:06:00Z'))).toHaveLength(0);
    expect(cal.activeFor([w], { key: 'b', tags: ['db'] }, t('2026-03-01T11:06:00Z'))[0]).toMatchObject({ label: 'window #1 "w"', mode: 'pause' });
    expect(cal.activeFor([w], { key: 'b', tags: ['web'] }, t('2026-03-01T11:06:00Z'))).toHaveLength(0);
  });
});
