import type { OverlapPolicy } from '@timekeeper/contracts';

export const OVERLAP_HELP: Record<OverlapPolicy, string> = {
  skip: 'Skip the new slot while the previous run is still going.',
  buffer_one: 'Queue one slot to start when the running one ends; skip any more.',
  buffer_all: 'Queue every slot and run them one after another.',
  cancel_other: 'Cancel the running one, then start the new slot.',
  terminate_other: 'Terminate the running one at once, then start the new slot.',
  allow_all: 'Start the new slot alongside the running one.',
};
