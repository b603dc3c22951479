import type { JobDeps } from '../deps';
import { markSlotFinished, markSlotStarted, type SlotStartResult, type Verdict } from '../ledger/slots';
import { runChunkedJob, type ChunkedJob } from '../runner/chunked';
import type { JobActivityInput, JobResult } from '../runner/types';
import { cacheWarmingJob } from './cache-warming';
import { dataCleanupJob } from './data-cleanup';
import { reportGenerationJob } from './report-generation';
import { syntheticJob } from './synthetic';
import { vipRecalculationJob } from './vip-recalculation';

export type SlotStartInput = { jobKey: string; kind: string; slot: string; workflowId: string; runId: string };
/** The run's own verdict; `runId` names the run, so a replaced run's late verdict changes nothing. */
export type SlotVerdictInput = { jobKey: string; slot: string; runId: string } & Verdict;

/**
 * Every activity the runJob workflow calls, bound to the worker's dependencies
 * (samples-typescript activities-dependency-injection): the slot-ledger bookkeeping and one
 * activity per job kind.
 */
export function createActivities(deps: JobDeps) {
  const run = (job: ChunkedJob) => (input: JobActivityInput): Promise<JobResult> => runChunkedJob(deps, input, job);
  return {
    async recordSlotStarted(input: SlotStartInput): Promise<SlotStartResult> {
      return markSlotStarted(deps.orm.em.fork(), { ...input, nominalTime: new Date(input.slot) });
    },
    async recordSlotVerdict(input: SlotVerdictInput): Promise<void> {
      const { jobKey, slot, runId, ...verdict } = input;
      await markSlotFinished(deps.orm.em.fork(), { jobKey, nominalTime: new Date(slot), runId }, verdict);
    },
    vipRecalculation: run(vipRecalculationJob(deps)),
    reportGeneration: run(reportGenerationJob(deps)),
    cacheWarming: run(cacheWarmingJob(deps)),
    dataCleanup: run(dataCleanupJob(deps)),
    synthetic: run(syntheticJob()),
  };
}

export type Activities = ReturnType<typeof createActivities>;
