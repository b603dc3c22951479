import * as contracts from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, JOB_KEY_PATTERN, OVERLAP_POLICIES, SLOT_SUPERSEDED_ERROR } from './contract-values';

describe('contract values', () => {
  it('match @timekeeper/contracts', () => {
    expect(OVERLAP_POLICIES).toEqual(contracts.OVERLAP_POLICIES);
    expect(DURATION_PATTERN).toBe(contracts.DURATION_PATTERN);
    expect(JOB_KEY_PATTERN).toBe(contracts.JOB_KEY_PATTERN);
    expect(SLOT_SUPERSEDED_ERROR).toBe(contracts.SLOT_SUPERSEDED_ERROR);
  });
});
