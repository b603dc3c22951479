import { describe, expect, it } from 'vitest';
import { parseScheduledWorkflowId, scheduledWorkflowId } from './context';

describe('scheduled workflow ids', () => {
  it('round-trips the id Temporal gives a scheduled run', () => {
    const slot = new Date('2026-03-08T07:30:05.000Z');
    const id = scheduledWorkflowId('vip-daily', slot);
    expect(id).toBe('tk-vip-daily-2026-03-08T07:30:05Z');
    expect(parseScheduledWorkflowId(id)).toEqual({ jobKey: 'vip-daily', slot });
    expect(parseScheduledWorkflowId('tk-job-2026-03-08T07:30:05+08:00')?.slot.toISOString()).toBe('2026-03-07T23:30:05.000Z');
    expect(parseScheduledWorkflowId('manual-run-123')).toBeNull();
  });
});
