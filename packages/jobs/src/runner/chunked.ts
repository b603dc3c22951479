import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { writeOutbox, type EntityManager, type OutboxEvent } from '@timekeeper/db';
import type { JobDeps } from '../deps';
import { isStaleFence, LOCK_BUSY, lockLost } from '../lock/errors';
import { advanceFence, drawFence } from '../lock/fence';
import { addCounts, readCheckpoints, writeCheckpoint, type Counts } from '../ledger/checkpoints';
import { markAttempt, readSlot, writeProgress, type SlotRef } from '../ledger/slots';
import { startProgress, type ProgressMeasure } from './progress';
import { guardSlotOrder } from './slot-order';
import { attemptBounds } from './attempt-bounds';
import { boundedTransaction } from './bounded-transaction';
import { runLocked } from './locked-run';
import type { HeartbeatProgress, JobActivityInput, JobResult } from './types';

/** Handed to each chunk: the transaction, where the previous chunk stopped, and the holder's fence. */
export type ChunkContext = {
  tx: EntityManager;
  cursor: string | null;
  chunk: number;
  fence: number;
  slot: Date;
  input: JobActivityInput;
  /** Heartbeats the last committed progress (long steps call it to stay alive and see cancellation). */
  heartbeat: () => void;
};

export type ChunkOutcome = {
  /** Where the next chunk starts; null when this was the last chunk. */
  cursor: string | null;
  counts: Counts;
  /** Written with the chunk; `topic` defaults to the deps' events topic. */
  events?: Array<Omit<OutboxEvent, 'topic'> & { topic?: string }>;
  /** Side effects outside MySQL to repeat after the commit (idempotent, e.g. cache invalidation). */
  afterCommit?: () => Promise<void>;
};

/** A job = a sequence of chunks; each chunk's effects commit with its checkpoint, fence and events. */
export type ChunkedJob = {
  kind: string;
  /** Runs before each chunk's transaction (outside it), e.g. to simulate slow work or fenced Redis writes. */
  beforeChunk?: (ctx: Omit<ChunkContext, 'tx'>) => Promise<void>;
  step: (ctx: ChunkContext) => Promise<ChunkOutcome>;
  /** Estimates the slot's whole work when an attempt starts and measures what is done (the console's progress). */
  progress?: ProgressMeasure;
};

function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/**
 * The exactly-once frame around every job: take the job's lock (a bounded wait, then LockBusy; the
 * lease is extended only while the attempt may run), draw a fencing token from MySQL, skip a slot
 * that already succeeded, resume after the last committed checkpoint, then run chunk after chunk,
 * each in one transaction (statements bounded by the attempt's remaining time) that advances the
 * fence (a stale holder is rejected), applies the effects, writes the checkpoint, the outbox rows
 * and the slot's progress. Between chunks it heartbeats and stops on cancellation or a lost lock.
 */
export async function runChunkedJob(deps: JobDeps, input: JobActivityInput, job: ChunkedJob): Promise<JobResult> {
  const ctx = activityContext();
  // Attempts an earlier call of this slot's activity used up (the workflow re-calls after LockBusy).
  const attempt = (input.attemptOffset ?? 0) + (ctx?.info.attempt ?? 1);
  const bounds = attemptBounds(ctx);
  const slot: SlotRef & { runId: string } = { jobKey: input.jobKey, nominalTime: new Date(input.slot), runId: input.runId };
  const em = deps.orm.em.fork();
  const log = deps.logger;
  deps.metrics.activityStarted(job.kind);
  let lastProgress: HeartbeatProgress | undefined = ctx?.info.heartbeatDetails as HeartbeatProgress | undefined;
  const heartbeat = () => {
    bounds.beat();
    ctx?.heartbeat(lastProgress);
  };

  const body = async (lockSignal: AbortSignal | null, fence: number): Promise<JobResult> => {
    const existing = await readSlot(em, slot);
    if (existing?.status === 'succeeded') {
      log.info({ jobKey: input.jobKey, slot: input.slot }, 'slot already succeeded; nothing to do');
      return { ...(existing.result as JobResult), duplicate: true, attempt };
    }
    const claim = await markAttempt(em, slot, attempt, fence);
    if (claim === 'closed') {
      // This attempt outlived its run (run timeout, termination): the slot has its verdict; do nothing.
      throw ApplicationFailure.create({ type: 'SlotClosed', nonRetryable: true, message: `slot ${input.slot} of ${input.jobKey} already has its verdict` });
    }
    if (claim === 'replaced') {
      log.info({ jobKey: input.jobKey, slot: input.slot, runId: input.runId }, 'a newer run of this slot took it over; standing down');
      return { kind: job.kind, chunks: 0, resumedAfterChunk: null, counts: {}, fence, attempt, duplicate: true };
    }
    // The checkpoints are the committed truth; the heartbeat details only tell us what the last attempt saw.
    const done = await readCheckpoints(em, slot);
    let counts = done.reduce<Counts>((acc, cp) => addCounts(acc, cp.counts), {});
    const last = done[done.length - 1];
    const resumedAfterChunk = last ? last.chunk : null;
    if (last) log.info({ jobKey: input.jobKey, slot: input.slot, chunk: last.chunk, heartbeat: lastProgress }, 'resuming after committed chunk');
    let chunk = last ? last.chunk + 1 : 0;
    let cursor = last ? last.cursor : null;
    let finished = !!last && last.cursor === null;
    const progress = await startProgress(job.progress, { em, input, slot: slot.nominalTime, logger: log }, { chunks: chunk, cursor, counts, finished });
    await writeProgress(em, slot, progress.snapshot({ chunk: chunk - 1, cursor, counts, fence, attempt }, finished), fence);
    while (!finished) {
      if (ctx?.cancellationSignal.aborted) throw new CancelledFailure(`cancelled before chunk ${chunk}`);
      if (lockSignal?.aborted) throw lockSignal.reason ?? lockLost(input.jobKey);
      const started = process.hrtime.bigint();
      await job.beforeChunk?.({ cursor, chunk, fence, slot: slot.nominalTime, input, heartbeat });
      const at = chunk;
      const from = cursor;
      const statementLimitMs = Math.min(deps.statementTimeoutMs || Infinity, bounds.remainingMs());
      const outcome = await boundedTransaction(em, statementLimitMs, deps.statementTimeoutMs ?? 0, async (tx) => {
        await advanceFence(tx, input.jobKey, fence);
        await guardSlotOrder(tx, input.jobKey, input.kind, slot.nominalTime);
        const out = await job.step({ tx, cursor: from, chunk: at, fence, slot: slot.nominalTime, input, heartbeat });
        const total = addCounts(counts, out.counts);
        await writeCheckpoint(tx, slot, { chunk: at, cursor: out.cursor, counts: out.counts }, fence);
        await writeOutbox(tx, (out.events ?? []).map((e) => ({ ...e, topic: e.topic ?? deps.eventsTopic })));
        await writeProgress(tx, slot, progress.snapshot({ chunk: at, cursor: out.cursor, counts: total, fence, attempt }, out.cursor === null));
        return { out, total };
      });
      await outcome.out.afterCommit?.();
      counts = outcome.total;
      cursor = outcome.out.cursor;
      finished = cursor === null;
      deps.metrics.chunkCommitted(job.kind, Number(process.hrtime.bigint() - started) / 1e9);
      lastProgress = { chunk: at, cursor, counts };
      heartbeat();
      chunk++;
    }
    return { kind: job.kind, chunks: chunk, resumedAfterChunk, counts, fence, attempt };
  };

  const lockWaitStarted = Date.now();
  try {
    let result: JobResult;
    if (input.lock.required) {
      result = await runLocked(
        deps,
        input,
        ctx,
        { ttlMs: input.lock.ttlMs, attempt, signal: ctx?.cancellationSignal, onWait: heartbeat, stopReason: bounds.endedBecause },
        async (signal, waitedMs) => {
          deps.metrics.lockWaited(job.kind, waitedMs / 1000, true);
          // The token is drawn under the lock, so tokens grow in lock-acquisition order.
          return body(signal, await drawFence(em, deps.redis, input.jobKey, log));
        },
      );
    } else {
      result = await body(null, await drawFence(em, deps.redis, input.jobKey, log));
    }
    deps.metrics.activitySucceeded(job.kind);
    return result;
  } catch (err) {
    const type = err instanceof ApplicationFailure ? (err.type ?? 'ApplicationFailure') : err instanceof Error ? err.name : 'Error';
    if (type === LOCK_BUSY) {
      // Not a failure of the job: the workflow waits (woken by the next release, or its timer) and calls again.
      deps.metrics.lockWaited(job.kind, (Date.now() - lockWaitStarted) / 1000, false);
      log.info({ jobKey: input.jobKey, slot: input.slot, attempt, reason: (err as Error).message }, 'job lock busy; the workflow retries later');
      throw err;
    }
    if (isStaleFence(err)) deps.metrics.fenceRejected(job.kind);
    deps.metrics.activityFailed(job.kind, type);
    log.warn({ jobKey: input.jobKey, slot: input.slot, attempt, err }, 'job attempt failed');
    throw err;
  }
}
