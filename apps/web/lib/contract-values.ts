import type { MissingWallTime, OverlapPolicy, RepeatedWallTime } from '@timekeeper/contracts';

// Runtime values from @timekeeper/contracts, repeated here so the browser bundle does not pull in
// TypeBox (the contracts build their schemas at import). contract-values.test.ts keeps them equal.
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'];
export const DURATION_PATTERN = '^\\d+(ms|s|m|h|d)$';
export const JOB_KEY_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$';
export const REPEATED_WALL_TIMES: readonly RepeatedWallTime[] = ['first', 'last', 'both'];
export const MISSING_WALL_TIMES: readonly MissingWallTime[] = ['shift', 'skip'];
export const SLOT_SUPERSEDED_ERROR = 'slot_superseded';
export const NEXT_RUNS_MAX_JOBS = 100;
