import type { AlertKind } from '@timekeeper/contracts';
import { JobSlot } from '@timekeeper/db';
import { writeRunEvent } from '../run-events';
import { temporalRunUrl } from '../store';
import { SeenSet, type Detector, type DetectorContext } from './context';
import { recoverJobs } from './recovery';

const FAILED: Partial<Record<string, AlertKind>> = { failed: 'failed', timed_out: 'timed_out', cancelled: 'cancelled' };
// Ledger rows are stamped by the writer's clock before its commit; re-read this far back so a slow
// commit is never skipped. The seen set makes the re-read cheap and the observations table exact.
const REREAD_MS = 5_000;
const CURSOR = 'ledger';

/**
 * Follows the slot ledger: every state change becomes a `run` event; a failed, timed-out or cancelled
 * verdict raises an alert (observed once per run id); a success may resolve the job's open alerts.
 */
export function ledgerDetector(ctx: DetectorContext, intervalMs: number): Detector {
  const seen = new SeenSet();
  let since: Date | null = null;

  return {
    name: 'ledger',
    intervalMs,
    async pass() {
      if (!since) {
        const c = await ctx.cursors.get<{ since: string }>(CURSOR);
        since = c ? new Date(c.since) : new Date(Date.now() - ctx.missedLookbackMs);
      }
      const from = new Date(since.getTime() - REREAD_MS);
      const rows = await ctx.orm.em.fork().find(JobSlot, { updatedAt: { $gte: from } }, { orderBy: { updatedAt: 'asc', id: 'asc' }, limit: 2_000 });
      const succeededJobs = new Set<string>();
      let newest = since;
      for (const s of rows) {
        if (s.updatedAt > newest) newest = s.updatedAt;
        const stateKey = `${s.jobKey}|${s.nominalTime.getTime()}|${s.status}|${s.runId}|${s.attempt}`;
        if (seen.has(stateKey)) continue;
        await ctx.orm.em.fork().transactional((tx) =>
          writeRunEvent(tx, ctx.runsTopic, {
            jobKey: s.jobKey,
            slot: s.nominalTime,
            status: s.status,
            workflowId: s.workflowId,
            runId: s.runId,
            attempt: s.attempt,
            startedAt: s.startedAt,
            finishedAt: s.finishedAt,
            errorType: s.errorType,
            errorMessage: s.errorMessage,
          }),
        );
        const kind = FAILED[s.status];
        if (kind) {
          await ctx.store.raise({
            jobKey: s.jobKey,
            slot: s.nominalTime,
            kind,
            reason: `${s.errorType ?? kind}: ${s.errorMessage ?? 'no message'}`,
            observation: s.runId ?? 'ledger',
            details: {
              errorType: s.errorType,
              errorMessage: s.errorMessage,
              attempt: s.attempt,
              workflowId: s.workflowId,
              runId: s.runId,
              temporalUrl: temporalRunUrl(ctx.temporalUiUrl, ctx.namespace, s.workflowId, s.runId),
              source: 'ledger',
            },
          });
        }
        if (s.status === 'succeeded') succeededJobs.add(s.jobKey);
        seen.add(stateKey);
      }
      if (succeededJobs.size) await recoverJobs(ctx, succeededJobs);
      if (newest > since) {
        since = newest;
        await ctx.cursors.set(CURSOR, { since: since.toISOString() });
      }
    },
  };
}
