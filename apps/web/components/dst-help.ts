import type { MissingWallTime, RepeatedWallTime } from '@timekeeper/contracts';

// Help text for the two DST policy selects of the job form.
export const REPEATED_HELP: Record<RepeatedWallTime, string> = {
  first: 'When clocks fall back, a time such as 01:30 happens twice: run at the first one (summer time).',
  last: 'When clocks fall back, a time such as 01:30 happens twice: run at the second one (winter time).',
  both: 'When clocks fall back, a time such as 01:30 happens twice: run at both.',
};

export const MISSING_HELP: Record<MissingWallTime, string> = {
  shift: 'When clocks jump forward, a time such as 02:30 does not exist: run at the first moment after the jump (once).',
  skip: 'When clocks jump forward, a time such as 02:30 does not exist: skip that slot (it is listed as skipped).',
};

export const INTERVAL_DST_NOTE = 'Intervals run in absolute time: clock changes never move, skip or repeat them.';
