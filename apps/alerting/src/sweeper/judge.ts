import { WorkflowNotFoundError, type ScheduleDescription, type ScheduleSummary } from '@temporalio/client';
import { MAINTENANCE_REASON, type MissedReason } from '@timekeeper/contracts';
import { AuditEntry, type JobDefinition } from '@timekeeper/db';
import { markSlotFinished, markSlotUnrun } from '@timekeeper/jobs';
import { scheduledWorkflowId } from '../detectors/context';
import { bracket, countedBetween, creationBaseline } from './schedule-progress';
import { temporalRunUrl } from '../store';
import type { SweepContext } from './context';
import { REASON_TEXT, verdictOfClosedRun } from './verdicts';
import type { Watch } from './watch';

/** An open ledger row the sweeper looks at: planned (no run recorded yet) or running. */
export type OpenRow = {
  id: number;
  jobKey: string;
  nominalTime: Date;
  status: 'planned' | 'running';
  workflowId: string | null;
  runId: string | null;
  startedAt: Date | null;
};

type RunState = { status: string; runId: string; closeTime: Date | null };

/** Temporal's state of a workflow (a given run, or the latest one with that id); null if there is none. */
async function describeRun(ctx: SweepContext, workflowId: string, runId?: string): Promise<RunState | null> {
  try {
    const d = await ctx.temporal.workflow.getHandle(workflowId, runId).describe();
    return { status: d.status.name, runId: d.runId, closeTime: d.closeTime ?? null };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** What the sweeper knows about a job's schedule this pass: undefined when describe failed. */
export type ScheduleView = { desc: ScheduleDescription | null; watch: Watch } | undefined;
/** The schedule is described only when a slot needs it (at most once a pass): most slots have a run. */
export type LazyView = () => Promise<ScheduleView>;

/**
 * Gives one open row its verdict if it has one. Idempotent: every write is conditional on the row
 * still being open (and owned by the run judged), so a second pass or a second instance changes
 * nothing. Returns true when it wrote a verdict.
 */
export class Judge {
  // Row id -> when it was last found still waiting (running, or not processed yet): not asked again before recheckMs.
  private readonly waiting = new Map<number, number>();
  // Planned rows that looked unstarted once: not_started is written only when a later pass agrees.
  private readonly unstartedSeen = new Map<number, number>();

  constructor(private readonly ctx: SweepContext) {}

  /** Forget rows that are no longer open (bounded memory). */
  retain(openIds: Set<number>): void {
    for (const id of this.waiting.keys()) if (!openIds.has(id)) this.waiting.delete(id);
    for (const id of this.unstartedSeen.keys()) if (!openIds.has(id)) this.unstartedSeen.delete(id);
  }

  private recentlyChecked(id: number, now: number): boolean {
    const at = this.waiting.get(id);
    return at !== undefined && now - at < this.ctx.sweep.recheckMs;
  }

  /** A running row: did its run close without recording a verdict (timeout, termination, cancel)? */
  async running(row: OpenRow, now: number): Promise<boolean> {
    if (!row.workflowId || this.recentlyChecked(row.id, now)) return false;
    const run = await describeRun(this.ctx, row.workflowId, row.runId ?? undefined);
    if (run === null) {
      // Gone from Temporal (past retention): nothing will ever record it.
      const verdict = { status: 'failed' as const, errorType: 'WorkflowNotFound', errorMessage: 'the run is not known to Temporal any more' };
      return markSlotFinished(this.ctx.orm.em.fork(), { ...row, runId: row.runId ?? 'unknown' }, verdict);
    }
    const verdict = verdictOfClosedRun(run.status);
    if (!verdict) {
      this.waiting.set(row.id, now);
      return false;
    }
    return markSlotFinished(this.ctx.orm.em.fork(), { ...row, runId: run.runId, finishedAt: run.closeTime ?? undefined }, verdict);
  }

  /**
   * A planned row past its grace period: the run Temporal started for it (closed unrecorded, or still
   * waiting for a worker), or why there is none, from the schedule as Temporal describes it. `listed` is
   * the schedule in this pass's listing (undefined: not listed).
   */
  async planned(row: OpenRow, job: JobDefinition, lazyView: LazyView, now: number, listed?: ScheduleSummary | null): Promise<boolean> {
    const t = row.nominalTime.getTime();
    if (now < t + job.gracePeriodMs || this.recentlyChecked(row.id, now)) return false;
    if (this.notReachedPerListing(listed, t)) {
      // The scheduler is behind (a thousand slots on one minute, a busy server): no run exists yet, and
      // describing the run and the schedule of every such slot each pass would only slow it down more.
      await this.lateStart(row, 'not_started', null, null);
      this.waiting.set(row.id, now);
      return false;
    }
    const workflowId = scheduledWorkflowId(job.key, row.nominalTime);
    const run = await describeRun(this.ctx, workflowId);
    if (run) {
      const verdict = verdictOfClosedRun(run.status);
      if (verdict) return markSlotFinished(this.ctx.orm.em.fork(), { ...row, runId: run.runId, workflowId, finishedAt: run.closeTime ?? undefined }, verdict);
      if (run.status === 'RUNNING') await this.lateStart(row, 'no_worker', workflowId, run.runId);
      this.waiting.set(row.id, now);
      return false;
    }
    // In a pause window: paused by maintenance, with the window named (not missed, no alert).
    const window = await this.ctx.policies.pausingAt(job.key, row.nominalTime);
    if (window) return this.unrun(row, 'paused', MAINTENANCE_REASON, `${window.label} paused the job: ${window.reason}`.slice(0, 1000));
    const view = await lazyView();
    if (!view) return false; // the schedule could not be described this pass
    const { desc, watch } = view;
    if (!desc || t < desc.info.createdAt.getTime()) return this.unrun(row, 'missed', 'schedule_missing');
    const { before, after } = bracket(watch.snapshots, t, creationBaseline(desc.info.createdAt));
    if (!after) {
      // A paused scheduler does not advance, and on resume drops what it passed (nothing before an
      // update fires): the slot is missed for good.
      if (desc.state.paused) return this.unrun(row, 'missed', 'paused');
      // The scheduler has not reached the slot yet (Temporal down or behind): warn, and wait for it.
      await this.lateStart(row, 'not_started', null, null);
      this.waiting.set(row.id, now);
      return false;
    }
    const counted = countedBetween(before, after);
    if (counted === 'overlap_skip') return this.unrun(row, 'skipped', 'overlap_skip');
    if (counted === 'catchup_window_exceeded') return this.unrun(row, 'missed', 'catchup_window_exceeded');
    const buffered = Number(desc.raw.info?.bufferSize ?? 0);
    if (buffered > 0 && ['buffer_one', 'buffer_all'].includes(job.overlapPolicy)) return false; // it may still start
    if (before.paused || after.paused || (await this.pausedByAudit(job.key, row.nominalTime))) return this.unrun(row, 'missed', 'paused');
    // Passed over without a start or a count (e.g. dropped by a schedule update): only once a later pass agrees,
    // so a start Temporal is making this very moment is not called missed.
    const seen = this.unstartedSeen.get(row.id);
    if (seen === undefined || now - seen < 1_000) {
      if (seen === undefined) this.unstartedSeen.set(row.id, now);
      return false;
    }
    return this.unrun(row, 'missed', 'not_started');
  }

  /**
   * Whether the listing shows an active schedule whose scheduler has not reached slot t: its next action
   * is at or before t. The listing (read at the start of the pass) can lag the scheduler, never lead it:
   * a slot it calls reached is judged as before; one it calls not reached when a run did start meanwhile
   * gets a late_start warning that the run's verdict resolves.
   */
  private notReachedPerListing(listed: ScheduleSummary | null | undefined, t: number): boolean {
    const next = listed?.info.nextActionTimes[0];
    return !!listed && !listed.state.paused && !!next && next.getTime() <= t;
  }

  private async unrun(row: OpenRow, status: 'missed' | 'skipped' | 'paused', reason: MissedReason | typeof MAINTENANCE_REASON, message?: string): Promise<boolean> {
    return markSlotUnrun(this.ctx.orm.em.fork(), row, { status, reason, message: message ?? REASON_TEXT[reason as MissedReason] });
  }

  private async lateStart(row: OpenRow, reason: MissedReason, workflowId: string | null, runId: string | null): Promise<void> {
    await this.ctx.store.raise({
      jobKey: row.jobKey,
      slot: row.nominalTime,
      kind: 'late_start',
      reason,
      // Per reason: "not processed yet" becoming "no worker" updates the alert rather than being lost.
      observation: `absent:${reason}`,
      details: {
        errorType: reason,
        errorMessage: reason === 'no_worker' ? REASON_TEXT.no_worker : 'not started within the grace period: the scheduler has not processed the slot (Temporal down or behind)',
        workflowId,
        runId,
        temporalUrl: temporalRunUrl(this.ctx.temporalUiUrl, this.ctx.namespace, workflowId, runId),
        source: 'schedule',
      },
    });
  }

  /** Timekeeper had the job paused at the slot (the last pause/resume before it was a pause). */
  private async pausedByAudit(jobKey: string, slot: Date): Promise<boolean> {
    const last = await this.ctx.orm.em.fork().findOne(
      AuditEntry,
      { jobKey, action: { $in: ['job.pause', 'job.resume', 'job.create'] }, createdAt: { $lte: slot } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return last?.action === 'job.pause';
  }
}
