import { describe, expect, it } from 'vitest';
import type { Alert } from '@/lib/api/types';
import { incidentsOf } from './incidents';

const alert = (id: number, jobKey: string, kind: string, severity = 'critical'): Alert =>
  ({ id, jobKey, kind, severity, slot: `2026-01-01T00:0${id}:00.000Z` }) as unknown as Alert;

describe('incidentsOf', () => {
  it('groups by job and kind in the order of the newest alert, keeping each slot, with the worst severity', () => {
    const got = incidentsOf([alert(5, 'a', 'failed', 'warning'), alert(4, 'b', 'failed'), alert(3, 'a', 'failed'), alert(2, 'a', 'missed')]);
    expect(got.map((i) => [i.key, i.alerts.map((a) => a.id), i.severity])).toEqual([
      ['a|failed', [5, 3], 'critical'],
      ['b|failed', [4], 'critical'],
      ['a|missed', [2], 'critical'],
    ]);
  });
});
