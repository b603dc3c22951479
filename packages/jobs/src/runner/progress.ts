import type { SlotProgress } from '@timekeeper/contracts';
import type { EntityManager } from '@timekeeper/db';
import type { JobLogger } from '../deps';
import type { Counts } from '../ledger/checkpoints';
import type { JobActivityInput } from './types';

/** A slot's committed work as a job's progress measure sees it. */
export type WorkState = {
  /** Chunks committed (over every attempt). */
  chunks: number;
  /** Where the next chunk starts; null before the first and after the last. */
  cursor: string | null;
  /** Counts summed over the committed chunks. */
  counts: Counts;
  /** The last chunk has committed. */
  finished: boolean;
};

/** A kind's estimate of a slot's whole work, in one unit (users, chunks, entries, phases…). */
export type WorkEstimate = { unit: string; total: number };

export type EstimateContext = { em: EntityManager; input: JobActivityInput; slot: Date };

/** How a kind measures its work; a kind without one reports chunks committed of an unknown total. */
export type ProgressMeasure = {
  /** Counts the whole work once, when an attempt starts (outside any chunk's transaction). */
  estimate: (ctx: EstimateContext) => Promise<WorkEstimate>;
  /** Work committed so far, in the estimate's unit; chunks committed unless given. */
  done?: (state: WorkState) => number;
};

const chunksDone = (s: WorkState) => s.chunks;

/** What the runner stores with every progress write (besides what the tracker adds). */
export type ProgressBase = { chunk: number; cursor: string | null; counts: Counts; fence: number; attempt: number };

/**
 * One attempt's progress: the estimate made at its start and the work already committed then, so the
 * console derives a rate from this attempt's own work (a resumed attempt does not look faster).
 */
export type ProgressTracker = { snapshot: (base: ProgressBase, finished: boolean) => SlotProgress };

export async function startProgress(
  measure: ProgressMeasure | undefined,
  ctx: EstimateContext & { logger: JobLogger },
  committed: WorkState,
): Promise<ProgressTracker> {
  let estimate: WorkEstimate | null = null;
  if (measure) {
    try {
      estimate = await measure.estimate(ctx);
    } catch (err) {
      // Progress is for people watching; an estimate that fails must not fail the job.
      ctx.logger.warn({ jobKey: ctx.input.jobKey, slot: ctx.input.slot, err }, 'progress estimate failed; reporting chunks only');
    }
  }
  const done = (estimate && measure?.done) || chunksDone;
  const unit = estimate?.unit ?? 'chunks';
  const total = estimate ? Math.max(0, estimate.total) : null;
  const startDone = done(committed);
  const startedAt = new Date().toISOString();
  return {
    snapshot: (base, finished) => ({
      ...base,
      unit,
      total,
      done: done({ chunks: base.chunk + 1, cursor: base.cursor, counts: base.counts, finished }),
      startedAt,
      startDone,
      at: new Date().toISOString(),
    }),
  };
}
