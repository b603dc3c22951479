import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ChunkedJob } from '../runner/chunked';
import { parseParams } from './params';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits `ms`, heartbeating (unless told not to) and returning early on cancellation. */
async function busyFor(ms: number, heartbeat: (() => void) | null): Promise<void> {
  const ctx = Context.current();
  const deadline = Date.now() + ms;
  const beat = Math.max(100, Math.min(1_000, Math.floor((ctx.info.heartbeatTimeoutMs ?? 10_000) / 3)));
  while (Date.now() < deadline && !ctx.cancellationSignal.aborted) {
    await Promise.race([sleep(Math.min(beat, deadline - Date.now())), ctx.cancelled.catch(() => undefined)]);
    heartbeat?.();
  }
}

/**
 * Demo and test job: `chunks` chunks of `chunkMs` each, one `synthetic.chunk` event per chunk, and an
 * optional failure at `failAtChunk`: a retryable error, a non-retryable one, outliving the
 * start-to-close timeout, or hanging without heartbeats (on every run, or only on the first run of a
 * slot with `failOnRetry: false`).
 */
export function syntheticJob(): ChunkedJob {
  return {
    kind: 'synthetic',
    // Chunks done of the chunks asked for (the runner's default measure).
    progress: { estimate: async ({ input }) => ({ unit: 'chunks', total: parseParams('synthetic', input.params).chunks }) },
    async beforeChunk({ chunk, input, heartbeat }) {
      const p = parseParams('synthetic', input.params);
      const ctx = Context.current();
      // A Retry from the API carries an explicit slot; `failOnRetry: false` lets that run succeed.
      const retried = input.slotSource === 'input';
      if (p.failAtChunk === chunk && (p.failOnRetry !== false || !retried)) {
        const failure = p.failure ?? 'error';
        if (failure === 'error') throw ApplicationFailure.create({ message: `synthetic failure at chunk ${chunk}`, type: 'SyntheticError' });
        if (failure === 'non-retryable') {
          throw ApplicationFailure.create({ message: `synthetic non-retryable failure at chunk ${chunk}`, type: 'SyntheticFatal', nonRetryable: true });
        }
        // Both outlive the attempt; the server times it out and the worker sees the cancellation.
        const cap = ctx.info.startToCloseTimeoutMs + 5_000;
        await busyFor(cap, failure === 'timeout' ? heartbeat : null);
        throw new CancelledFailure(`synthetic ${failure} at chunk ${chunk} ended`);
      }
      await busyFor(p.chunkMs, heartbeat);
    },
    async step({ chunk, input, slot }) {
      const p = parseParams('synthetic', input.params);
      const last = chunk + 1 >= p.chunks;
      return {
        cursor: last ? null : String(chunk + 1),
        counts: { chunks: 1 },
        events: [
          {
            key: input.jobKey,
            type: 'synthetic.chunk',
            payload: { jobKey: input.jobKey, slot: slot.toISOString(), chunk, of: p.chunks },
          },
        ],
      };
    },
  };
}
