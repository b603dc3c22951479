import { describe, expect, it } from 'vitest';
import type { ScheduleDescription } from '@temporalio/client';
import { freeSendTime, triggerOutcome } from './schedule-trigger';

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

type Seen = { starts?: Array<[string, string]>; running?: string[]; next?: string[]; skipped?: number; buffered?: number };
/** The parts of a schedule's description triggerOutcome reads. */
const described = ({ starts = [], running = [], next = [], skipped = 0, buffered = 0 }: Seen) =>
  ({
    info: {
      recentActions: starts.map(([id, at]) => ({ scheduledAt: d(at), takenAt: d(at), action: { type: 'startWorkflow', workflow: { workflowId: id, firstExecutionRunId: 'r' } } })),
      runningActions: running.map((id) => ({ type: 'startWorkflow', workflow: { workflowId: id, firstExecutionRunId: 'r' } })),
      nextActionTimes: next.map(d),
      numActionsSkippedOverlap: skipped,
    },
    raw: { info: { bufferSize: buffered } },
  }) as unknown as ScheduleDescription;

describe('triggerOutcome: what the schedule says became of the trigger', () => {
  const sentAt = at('2026-12-01T10:00:05.000Z');
  const before = described({ starts: [['tk-a-2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z']], next: ['2026-12-01T10:00:06Z'] });

  it('names the run it started', () => {
    const after = described({ starts: [['tk-a-2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z'], ['tk-a-2026-12-01T10:00:05Z', '2026-12-01T10:00:05.050Z']] });
    expect(triggerOutcome(before, after, sentAt)).toEqual({ outcome: 'started', workflowId: 'tk-a-2026-12-01T10:00:05Z' });
  });

  it('does not take a fire that came due, or a backfilled slot, for its run', () => {
    const after = described({
      starts: [
        ['tk-a-2026-12-01T10:00:06Z', '2026-12-01T10:00:06Z'],
        ['tk-a-2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z'],
      ],
    });
    expect(triggerOutcome(before, after, sentAt)).toBeNull();
  });

  it('says skipped when the overlap count grew, queued when the buffer did', () => {
    expect(triggerOutcome(before, described({ skipped: 1 }), sentAt)).toEqual({ outcome: 'skipped', workflowId: null });
    expect(triggerOutcome(before, described({ buffered: 1 }), sentAt)).toEqual({ outcome: 'queued', workflowId: null });
    expect(triggerOutcome(before, described({}), sentAt)).toBeNull();
  });
});
