import { JobDefinition, JobSlot } from '@timekeeper/db';
import { temporalRunUrl } from '../store';
import type { Detector, DetectorContext } from './context';

/**
 * Runs going on for too long, one alert per run; the slot's verdict resolves it (see the reporter).
 * A job with a duration baseline gets `long_running` past max(expectedMaxDuration, k × p95); one
 * without (too few succeeded runs yet) gets `overdue` past its expected_max_duration, if it has one.
 * The baseline replaces the fixed limit rather than adding a second alert for the same run.
 */
export function overdueDetector(ctx: DetectorContext, intervalMs: number): Detector {
  return {
    name: 'overdue',
    intervalMs,
    async pass() {
      const em = ctx.orm.em.fork();
      const running = await em.find(JobSlot, { status: 'running', startedAt: { $ne: null } }, { limit: 10_000 });
      if (!running.length) return;
      const jobs = await em.find(JobDefinition, { deletedAt: null, key: { $in: [...new Set(running.map((s) => s.jobKey))] } });
      const fixedLimit = new Map(jobs.map((j) => [j.key, j.expectedMaxDurationMs]));
      const now = Date.now();
      for (const s of running) {
        if (!fixedLimit.has(s.jobKey)) continue; // deleted job
        const runningFor = now - s.startedAt!.getTime();
        const fixed = fixedLimit.get(s.jobKey) ?? null;
        const baseline = await ctx.policies.baseline(s.jobKey);
        const limit = baseline ? baseline.longRunningAfterMs : fixed;
        if (limit === null || runningFor <= limit) continue;
        const common = {
          attempt: s.attempt,
          workflowId: s.workflowId,
          runId: s.runId,
          temporalUrl: temporalRunUrl(ctx.temporalUiUrl, ctx.namespace, s.workflowId, s.runId),
          runningForMs: runningFor,
          ...(fixed !== null ? { expectedMaxDurationMs: fixed } : {}),
          source: 'overdue',
        };
        await ctx.store.raise(
          baseline
            ? {
                jobKey: s.jobKey,
                slot: s.nominalTime,
                kind: 'long_running',
                reason: `running for ${Math.round(runningFor / 1000)} s, past ${Math.round(limit / 1000)} s (usual p95 ${Math.round(baseline.p95Ms / 1000)} s over ${baseline.runs} runs)`,
                observation: s.runId ?? 'long_running',
                details: { ...common, durationMs: runningFor, thresholdMs: limit, baseline: { p50Ms: baseline.p50Ms, p95Ms: baseline.p95Ms, runs: baseline.runs } },
              }
            : {
                jobKey: s.jobKey,
                slot: s.nominalTime,
                kind: 'overdue',
                reason: `running for ${Math.round(runningFor / 1000)} s, expected at most ${Math.round(limit / 1000)} s`,
                observation: s.runId ?? 'overdue',
                details: common,
              },
        );
      }
    },
  };
}
