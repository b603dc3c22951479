import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '@/lib/api/types';
import { oneOffWindowFor } from './windows';

const now = Date.parse('2026-12-01T12:00:00Z');
const w = (id: number, over: Partial<MaintenanceWindow>): MaintenanceWindow =>
  ({ id, name: `w${id}`, jobs: [], tags: [], from: '2026-12-01T11:00:00Z', to: '2026-12-01T13:00:00Z', cron: null, endedAt: null, ...over }) as unknown as MaintenanceWindow;

describe('oneOffWindowFor', () => {
  const job = { key: 'a', tags: ['finance'] };
  it('finds the window in force by job key or tag, the one ending last', () => {
    const got = oneOffWindowFor(job, [w(1, { jobs: ['a'] }), w(2, { tags: ['finance'], to: '2026-12-01T14:00:00Z' }), w(3, { jobs: ['b'], to: '2026-12-01T15:00:00Z' })], now);
    expect(got?.id).toBe(2);
  });
  it('ignores windows not yet started, over, ended early or recurring', () => {
    const got = oneOffWindowFor(
      job,
      [
        w(1, { jobs: ['a'], from: '2026-12-01T12:30:00Z' }),
        w(2, { jobs: ['a'], to: '2026-12-01T12:00:00Z' }),
        w(3, { jobs: ['a'], endedAt: '2026-12-01T11:30:00Z' }),
        w(4, { jobs: ['a'], from: null, to: null, cron: '0 * * * *' }),
      ],
      now,
    );
    expect(got).toBeNull();
  });
});
