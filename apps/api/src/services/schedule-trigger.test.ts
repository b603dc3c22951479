import { describe, expect, it } from 'vitest';
import { freeSendTime } from './schedule-trigger';

const at = (iso: string) => Date.parse(iso);
const d = (iso: string) => new Date(iso);

describe('freeSendTime: a trigger goes in a second no other start of the schedule holds', () => {
  it('sends at once when no start is near', () => {
    expect(freeSendTime(at('2026-12-01T10:00:05.300Z'), [d('2026-12-01T10:00:01.900Z'), d('2026-12-01T10:01:00Z')])).toBe(at('2026-12-01T10:00:05.300Z'));
  });

  it('waits past the second of a start just made, with the clock margin', () => {
    expect(freeSendTime(at('2026-12-01T10:00:05.300Z'), [d('2026-12-01T10:00:05.100Z')])).toBe(at('2026-12-01T10:00:06.150Z'));
  });

  it('waits past a fire due in the next second, since the trigger is named when Temporal handles it', () => {
    expect(freeSendTime(at('2026-12-01T10:00:59.400Z'), [d('2026-12-01T10:01:00Z')])).toBe(at('2026-12-01T10:01:01.150Z'));
  });

  it('keeps waiting when the new time lands next to another start', () => {
    const starts = [d('2026-12-01T10:00:06.200Z'), d('2026-12-01T10:00:05.100Z')];
    expect(freeSendTime(at('2026-12-01T10:00:05.300Z'), starts)).toBe(at('2026-12-01T10:00:07.150Z'));
  });
});
