import * as contracts from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, JOB_KEY_PATTERN, MISSING_WALL_TIMES, NEXT_RUNS_MAX_JOBS, OVERLAP_POLICIES, REPEATED_WALL_TIMES, SLOT_SUPERSEDED_ERROR } from './contract-values';

describe('contract values', () => {
  it('match @timekeeper/contracts', () => {
    expect(OVERLAP_POLICIES).toEqual(contracts.OVERLAP_POLICIES);
    expect(DURATION_PATTERN).toBe(contracts.DURATION_PATTERN);
    expect(JOB_KEY_PATTERN).toBe(contracts.JOB_KEY_PATTERN);
    expect(REPEATED_WALL_TIMES).toEqual(contracts.REPEATED_WALL_TIMES);
    expect(MISSING_WALL_TIMES).toEqual(contracts.MISSING_WALL_TIMES);
    expect(SLOT_SUPERSEDED_ERROR).toBe(contracts.SLOT_SUPERSEDED_ERROR);
    expect(NEXT_RUNS_MAX_JOBS).toBe(contracts.NEXT_RUNS_MAX_JOBS);
  });
});
