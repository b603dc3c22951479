import type { ScheduleDescription } from '@temporalio/client';
import { scheduleIdFor } from '@timekeeper/contracts';
import type { JobDefinition } from '@timekeeper/db';
import { insertPlannedSlots, removePlannedSlots, replacePlannedSlots } from '@timekeeper/jobs';
import { slotScheduleOf, specDigest } from '@timekeeper/scheduling';
import type { SweepContext } from './context';
import type { Watch } from './watch';

/**
 * Keeps a job's `planned` rows in step with what its schedule will fire, over a rolling horizon:
 * a new job (or one resumed in Timekeeper) is planned from when it began; a changed spec replaces the
 * planned rows from the schedule's last update on (Temporal fires nothing before an update under the
 * new spec); a paused job has no future expectations (its rows after now are removed); otherwise the
 * plan is topped up when less than half the horizon is left. `spans` remembers, per job, the time a
 * full plan covers when the per-job row cap is what bounds it. Returns whether the watch changed.
 */
export async function planJob(ctx: SweepContext, job: JobDefinition, desc: ScheduleDescription, watch: Watch, now: number, spans: Map<string, number>): Promise<boolean> {
  const em = ctx.orm.em.fork();
  const hash = specDigest(desc);
  const createdAt = desc.info.createdAt;
  const recreated = !!watch.scheduleCreatedAt && watch.scheduleCreatedAt.getTime() !== createdAt.getTime();
  const firstPlan = watch.specHash === null;
  const changed = !firstPlan && (watch.specHash !== hash || recreated);
  watch.specHash = hash;
  watch.scheduleCreatedAt = createdAt;

  if (job.paused) {
    if (watch.plannedUntil === null) return firstPlan || changed;
    await removePlannedSlots(em, job.key, new Date(now));
    watch.plannedUntil = null;
    return true;
  }

  const horizonEnd = now + ctx.sweep.planHorizonMs;
  const lookback = now - ctx.sweep.firstPlanLookbackMs;
  let from: number;
  let replace = false;
  if (changed) {
    from = recreated ? createdAt.getTime() : (desc.info.lastUpdatedAt ?? createdAt).getTime();
    replace = true;
  } else if (watch.plannedUntil === null) {
    // First plan, or resumed: from when the job began (or was resumed), at most the lookback ago.
    from = Math.max(firstPlan ? job.createdAt.getTime() : job.updatedAt.getTime(), lookback);
  } else {
    const span = Math.min(spans.get(job.key) ?? ctx.sweep.planHorizonMs, ctx.sweep.planHorizonMs);
    if (watch.plannedUntil.getTime() - now >= span / 2) return firstPlan;
    from = watch.plannedUntil.getTime();
  }
  // The same planner as previews and the syncer (DST policy included). The job's own main schedule is
  // matched (one call) unless it has jitter: matching times carry the jitter, slots are nominal times.
  const live = job.jitterMs ? {} : { scheduleId: scheduleIdFor(job.key) };
  const expected = await ctx.planner.expectedSlots(slotScheduleOf(job), { from: new Date(from), to: new Date(horizonEnd) }, live);
  const slots = expected.slice(0, ctx.sweep.planMaxSlots).map((s) => ({ at: new Date(s.utc), fires: s.status === 'fires', note: s.note }));
  if (replace) await replacePlannedSlots(em, job.key, job.kind, new Date(from), slots);
  else await insertPlannedSlots(em, job.key, job.kind, slots);
  const capped = slots.length >= ctx.sweep.planMaxSlots;
  const until = capped ? slots[slots.length - 1].at.getTime() + 1 : horizonEnd;
  if (capped) spans.set(job.key, until - from);
  else spans.delete(job.key);
  watch.plannedUntil = new Date(until);
  return true;
}
