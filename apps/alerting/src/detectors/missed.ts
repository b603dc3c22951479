import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { dstScheduleIdFor, scheduleIdFor, type MissedReason } from '@timekeeper/contracts';
import { AuditEntry, JobDefinition, JobSlot } from '@timekeeper/db';
import { describeSchedule } from '@timekeeper/scheduling';
import { temporalRunUrl } from '../store';
import { scheduledWorkflowId, type Detector, type DetectorContext } from './context';
import { addSnapshot, bracket, countedBetween, creationBaseline, snapshotOf, type ScheduleSnapshot } from './schedule-progress';

type JobCursor = { checkedTo: string; snapshots: ScheduleSnapshot[] };

type ProtoTimestamp = NonNullable<Parameters<Client['workflowService']['listScheduleMatchingTimes']>[0]['startTime']>;
const toTimestamp = (ms: number): ProtoTimestamp =>
  ({ seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 }) as unknown as ProtoTimestamp;
const fromTimestamp = (ts: ProtoTimestamp): number => Number((ts.seconds ?? 0).toString()) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);

/** The schedule's own fire times in (from, to], per Temporal's matcher (DST-correct by construction). */
export async function fireTimesBetween(client: Client, scheduleId: string, from: Date, to: Date): Promise<Date[]> {
  const out: Date[] = [];
  let cursor = from.getTime();
  for (;;) {
    const res = await client.workflowService.listScheduleMatchingTimes({
      namespace: client.options.namespace,
      scheduleId,
      startTime: toTimestamp(cursor),
      endTime: toTimestamp(to.getTime()),
    });
    const got = (res.startTime ?? []).map(fromTimestamp).filter((t) => t > cursor && t <= to.getTime());
    if (got.length === 0) return out;
    out.push(...got.map((t) => new Date(t)));
    cursor = got[got.length - 1];
  }
}

const REASON_TEXT: Record<MissedReason, string> = {
  overlap_skip: 'skipped by the overlap policy: the previous run was still going',
  catchup_window_exceeded: 'not started within the catch-up window (Temporal was behind or down)',
  paused: 'the schedule was paused through the slot',
  not_started: 'nothing started the run (scheduler or Temporal down)',
  no_worker: 'the run was started but no worker picked it up within the grace period',
};

/**
 * Missed windows: for every enabled job, each slot the schedule fired (ListScheduleMatchingTimes over
 * [last checked, now - grace]) that has not started within the job's grace period. The reason comes
 * from what Temporal counted around the slot (overlap skips, catch-up misses, paused), the audit log
 * (paused through the slot), or whether a workflow exists (started, but no worker: late_start).
 */
export function missedDetector(ctx: DetectorContext, intervalMs: number): Detector {
  const state = new Map<string, JobCursor>();

  async function cursorOf(job: JobDefinition, now: number): Promise<JobCursor> {
    let c = state.get(job.key);
    if (!c) {
      c = (await ctx.cursors.get<JobCursor>(`missed:${job.key}`)) ?? {
        checkedTo: new Date(Math.max(job.createdAt.getTime(), now - ctx.missedLookbackMs)).toISOString(),
        snapshots: [],
      };
      state.set(job.key, c);
    }
    return c;
  }

  async function pausedByAudit(jobKey: string, slot: Date): Promise<boolean> {
    const last = await ctx.orm.em.fork().findOne(
      AuditEntry,
      { jobKey, action: { $in: ['job.pause', 'job.resume', 'job.create'] }, createdAt: { $lte: slot } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return last?.action === 'job.pause';
  }

  async function workflowState(workflowId: string): Promise<{ status: string; runId: string } | null> {
    try {
      const d = await ctx.temporal.workflow.getHandle(workflowId).describe();
      return { status: d.status.name, runId: d.runId };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  async function checkJob(job: JobDefinition): Promise<void> {
    const scheduleId = scheduleIdFor(job.key);
    const desc = await describeSchedule(ctx.temporal, scheduleId);
    if (!desc) return; // not synced yet: nothing fires, nothing to expect
    // The time of this job's own describe, not of the pass: a slow pass must not date it early.
    const now = Date.now();
    const c = await cursorOf(job, now);
    c.snapshots = addSnapshot(c.snapshots, snapshotOf(desc), new Date(c.checkedTo).getTime());
    const baseline = creationBaseline(desc.info.createdAt);
    // A paused job is not expected to run; its cursor waits, and on resume its paused slots are reported as such.
    if (job.paused) return;

    const from = new Date(c.checkedTo);
    const to = new Date(now - job.gracePeriodMs);
    if (to <= from) return;
    // A cron's clock-change slots are fired by its companion schedule (scheduling/dst-plan.ts), when it has one.
    const [main, dst] = await Promise.all([
      fireTimesBetween(ctx.temporal, scheduleId, from, to),
      fireTimesBetween(ctx.temporal, dstScheduleIdFor(job.key), from, to).catch((err: unknown) => {
        if ((err as { code?: number }).code === 5 /* NOT_FOUND */) return [];
        throw err;
      }),
    ]);
    // (Judged by the main schedule's progress: both schedulers run on the same clock.)
    const times = [...main, ...dst].sort((a, b) => a.getTime() - b.getTime());
    let checkedTo = to;
    for (const slot of times) {
      const { before, after } = bracket(c.snapshots, slot.getTime(), baseline);
      // The scheduler has not processed this slot yet: its counters cannot say why it has no run.
      if (!after) {
        checkedTo = new Date(slot.getTime() - 1);
        break;
      }
      const row = await ctx.orm.em.fork().findOne(JobSlot, { jobKey: job.key, nominalTime: slot });
      if (row && row.status !== 'planned') continue; // it started (its outcome is the other detectors' business)
      const workflowId = scheduledWorkflowId(job.key, slot);
      const wf = await workflowState(workflowId);
      if (wf && wf.status !== 'RUNNING') continue; // closed without a ledger row: visibility reports it
      const reason: MissedReason = wf ? 'no_worker' : await absentReason(job.key, slot, before, after);
      await ctx.store.raise({
        jobKey: job.key,
        slot,
        kind: wf ? 'late_start' : 'missed',
        severity: reason === 'paused' ? 'info' : undefined,
        reason,
        observation: 'absent',
        details: {
          errorType: reason,
          errorMessage: REASON_TEXT[reason],
          workflowId: wf ? workflowId : null,
          runId: wf?.runId ?? null,
          temporalUrl: wf ? temporalRunUrl(ctx.temporalUiUrl, ctx.namespace, workflowId, wf.runId) : null,
          source: 'schedule',
        },
      });
    }
    c.checkedTo = checkedTo.toISOString();
    await ctx.cursors.set(`missed:${job.key}`, { checkedTo: c.checkedTo, snapshots: c.snapshots });
  }

  async function absentReason(jobKey: string, slot: Date, before: ScheduleSnapshot, after: ScheduleSnapshot): Promise<MissedReason> {
    // What Temporal counted is definitive; a pause on either side explains a slot it did not count.
    const counted = countedBetween(before, after);
    if (counted) return counted;
    if (before.paused || after.paused || (await pausedByAudit(jobKey, slot))) return 'paused';
    return 'not_started';
  }

  return {
    name: 'missed',
    intervalMs,
    async pass() {
      const jobs = await ctx.orm.em.fork().find(JobDefinition, { deletedAt: null });
      for (const job of jobs) {
        try {
          await checkJob(job);
        } catch (err) {
          ctx.logger.warn({ err: err instanceof Error ? err.message : String(err), jobKey: job.key }, 'missed-window check failed; will retry');
        }
      }
    },
  };
}
