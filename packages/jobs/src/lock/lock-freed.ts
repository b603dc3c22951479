// Shared by the activity that wakes a waiting run and the runJob workflow that waits (no imports:
// the workflow sandbox loads this file too).

/** Signal sent to a run waiting for its job's lock once the holder released it. */
export const LOCK_FREED_SIGNAL = 'lockFreed';
