import type { WorkflowExecutionInfo } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE, type AlertKind } from '@timekeeper/contracts';
import { JobDefinition, JobSlot } from '@timekeeper/db';
import { writeRunEvent } from '../run-events';
import { temporalRunUrl } from '../store';
import { parseScheduledWorkflowId, SeenSet, type Detector, type DetectorContext } from './context';

const KIND: Record<string, Extract<AlertKind, 'failed' | 'timed_out' | 'terminated' | 'cancelled'>> = { FAILED: 'failed', TIMED_OUT: 'timed_out', TERMINATED: 'terminated', CANCELLED: 'cancelled' };
const REASON: Record<string, string> = {
  FAILED: 'the run failed',
  TIMED_OUT: 'the run exceeded its execution timeout',
  TERMINATED: 'the run was terminated',
  CANCELLED: 'the run was cancelled',
};
const CURSOR = 'visibility';

function slotOf(run: WorkflowExecutionInfo): { jobKey: string | null; slot: Date } {
  const sa = run.searchAttributes as Record<string, unknown[] | undefined>;
  const parsed = parseScheduledWorkflowId(run.workflowId);
  const jobKey = (sa?.TimekeeperJobKey?.[0] as string | undefined) ?? parsed?.jobKey ?? null;
  const raw = sa?.TimekeeperSlot?.[0] ?? sa?.TemporalScheduledStartTime?.[0];
  const slot = raw ? new Date(raw as string | Date) : (parsed?.slot ?? run.startTime);
  return { jobKey, slot };
}

/**
 * Closed `runJob` executions that did not complete, from Temporal visibility. A timeout or a
 * termination runs no workflow code, so the ledger still says "running": only visibility sees it. A
 * run whose ledger verdict already tells the story (same run id) is left to the ledger detector.
 */
export function visibilityDetector(ctx: DetectorContext, intervalMs: number): Detector {
  const seen = new SeenSet();
  let since: Date | null = null;

  return {
    name: 'visibility',
    intervalMs,
    async pass() {
      if (!since) {
        const c = await ctx.cursors.get<{ since: string }>(CURSOR);
        since = c ? new Date(c.since) : new Date(Date.now() - ctx.missedLookbackMs);
      }
      const from = new Date(since.getTime() - ctx.visibilityOverlapMs);
      const query =
        `WorkflowType = '${RUN_WORKFLOW_TYPE}' AND CloseTime >= '${from.toISOString()}' AND ` +
        `(ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'Canceled')`;
      let newest = since;
      const known = new Map<string, boolean>();
      const em = ctx.orm.em.fork();
      for await (const run of ctx.temporal.workflow.list({ query, pageSize: 500 })) {
        if (run.closeTime && run.closeTime > newest) newest = run.closeTime;
        if (seen.has(run.runId)) continue;
        const kind = KIND[run.status.name];
        const { jobKey, slot } = slotOf(run);
        if (!kind || !jobKey) {
          seen.add(run.runId);
          continue;
        }
        // Only this installation's jobs (the namespace may be shared).
        if (!known.has(jobKey)) known.set(jobKey, (await em.count(JobDefinition, { key: jobKey })) > 0);
        if (!known.get(jobKey)) {
          seen.add(run.runId);
          continue;
        }
        const ledger = await em.findOne(JobSlot, { jobKey, nominalTime: slot }, { refresh: true });
        const ledgerTold = ledger && ledger.runId === run.runId && ['failed', 'timed_out', 'cancelled'].includes(ledger.status);
        if (!ledgerTold) {
          await ctx.orm.em.fork().transactional((tx) =>
            writeRunEvent(tx, ctx.runsTopic, {
              jobKey,
              slot,
              status: kind,
              workflowId: run.workflowId,
              runId: run.runId,
              attempt: ledger?.attempt ?? 0,
              startedAt: run.startTime,
              finishedAt: run.closeTime ?? null,
              errorType: `Workflow${run.status.name}`,
              errorMessage: REASON[run.status.name],
            }),
          );
          await ctx.store.raise({
            jobKey,
            slot,
            kind,
            reason: REASON[run.status.name],
            observation: run.runId,
            details: {
              errorType: `Workflow${run.status.name}`,
              errorMessage: `${REASON[run.status.name]} (closed ${run.closeTime?.toISOString() ?? '?'})`,
              attempt: ledger?.attempt ?? null,
              workflowId: run.workflowId,
              runId: run.runId,
              temporalUrl: temporalRunUrl(ctx.temporalUiUrl, ctx.namespace, run.workflowId, run.runId),
              source: 'visibility',
            },
          });
        }
        seen.add(run.runId);
      }
      if (newest > since) {
        since = newest;
        await ctx.cursors.set(CURSOR, { since: since.toISOString() });
      }
    },
  };
}
