import { JobSlot } from '@timekeeper/db';
import type { DetectorContext } from './context';

/**
 * Resolves unresolved alerts of the given jobs (all jobs when omitted) once N slots after the
 * alert's slot have succeeded since the alert was first seen.
 */
export async function recoverJobs(ctx: DetectorContext, jobs?: Set<string>): Promise<number> {
  // A webhook failure says nothing about the job's runs: a later success does not resolve it.
  const open = (await ctx.store.unresolved()).filter((a) => a.kind !== 'webhook_failed' && (!jobs || jobs.has(a.jobKey)));
  const resolve: number[] = [];
  for (const a of open) {
    const successes = await ctx.orm.em.fork().count(JobSlot, {
      jobKey: a.jobKey,
      status: 'succeeded',
      nominalTime: { $gt: a.slot },
      finishedAt: { $gt: a.firstSeen },
    });
    if (successes >= ctx.recoverAfterSuccesses) resolve.push(a.id);
  }
  const events = await ctx.store.resolve(resolve, 'recovery', `resolved after ${ctx.recoverAfterSuccesses} successful run(s)`);
  return events.length;
}
