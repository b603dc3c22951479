import type { Client } from '@temporalio/client';
import type { ScenarioOutcome } from '../faults/context';
import { fireTimes } from '../stack/temporal';
import type { ChaosJob } from '../workload/jobs';

/** Per job, the nominal times (ms) that must each end with a verdict or an alert. */
export type ExpectedSlots = Map<string, Set<number>>;

/**
 * The schedules' own fire times from each job's start to the end of the fault window, plus every
 * slot the backfill covered (they started, so they owe a verdict too).
 */
export async function expectedSlots(temporal: Client, jobs: ChaosJob[], since: Map<string, Date>, end: Date, outcome: ScenarioOutcome): Promise<ExpectedSlots> {
  const out: ExpectedSlots = new Map();
  for (const job of jobs) {
    const times = await fireTimes(temporal, job.key, since.get(job.key)!, end);
    out.set(job.key, new Set(times.map((t) => t.getTime())));
  }
  const b = outcome.backfill;
  if (b) {
    const set = out.get(b.jobKey)!;
    for (const t of await fireTimes(temporal, b.jobKey, new Date(b.from.getTime() - 1), b.to)) set.add(t.getTime());
  }
  return out;
}
