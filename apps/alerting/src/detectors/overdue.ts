import { JobDefinition, JobSlot } from '@timekeeper/db';
import { temporalRunUrl } from '../store';
import type { Detector, DetectorContext } from './context';

/**
 * Runs still going past their job's expected_max_duration (one alert per run); the slot's verdict
 * resolves it (see the reporter).
 */
export function overdueDetector(ctx: DetectorContext, intervalMs: number): Detector {
  return {
    name: 'overdue',
    intervalMs,
    async pass() {
      const em = ctx.orm.em.fork();
      const jobs = await em.find(JobDefinition, { deletedAt: null, expectedMaxDurationMs: { $ne: null } });
      const limit = new Map(jobs.map((j) => [j.key, j.expectedMaxDurationMs!]));
      if (limit.size) {
        const running = await em.find(JobSlot, { status: 'running', jobKey: { $in: [...limit.keys()] }, startedAt: { $ne: null } });
        const now = Date.now();
        for (const s of running) {
          const max = limit.get(s.jobKey)!;
          const runningFor = now - s.startedAt!.getTime();
          if (runningFor <= max) continue;
          await ctx.store.raise({
            jobKey: s.jobKey,
            slot: s.nominalTime,
            kind: 'overdue',
            reason: `running for ${Math.round(runningFor / 1000)} s, expected at most ${Math.round(max / 1000)} s`,
            observation: s.runId ?? 'overdue',
            details: {
              attempt: s.attempt,
              workflowId: s.workflowId,
              runId: s.runId,
              temporalUrl: temporalRunUrl(ctx.temporalUiUrl, ctx.namespace, s.workflowId, s.runId),
              runningForMs: runningFor,
              expectedMaxDurationMs: max,
              source: 'overdue',
            },
          });
        }
      }
    },
  };
}
