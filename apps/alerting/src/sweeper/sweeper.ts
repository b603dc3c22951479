import type { ScheduleDescription, ScheduleSummary } from '@temporalio/client';
import { dstScheduleIdFor, scheduleIdFor } from '@timekeeper/contracts';
import { JobDefinition, utcDate } from '@timekeeper/db';
import { removePlannedSlots } from '@timekeeper/jobs';
import { describeSchedule, listTimekeeperSchedules, specDigest } from '@timekeeper/scheduling';
import { addSnapshot, snapshotOf } from './schedule-progress';
import type { SweepContext } from './context';
import { DriftAlerts } from './drift';
import { eachLimit } from '@timekeeper/runtime';
import { Judge, type OpenRow, type ScheduleView } from './judge';
import { planJob } from './planner';
import { deleteWatch, loadWatches, saveWatches, type Watch } from './watch';

/** What one pass did, and where its wall time went (ms per phase: read MySQL, list Temporal, sweep the jobs, save). */
export type SweepStats = {
  jobs: number;
  open: number;
  verdicts: number;
  planned: number;
  described: number;
  failedJobs: number;
  lastError?: string;
  phases: { read: number; list: number; jobs: number; save: number };
};

type DueRow = { id: number; job_key: string; nominal_time: string; status: 'planned' | 'running'; workflow_id: string | null; run_id: string | null; started_at: string | null };

// Open rows read per pass; more wait for the next pass (oldest first, so none is starved).
const MAX_OPEN_ROWS = 50_000;

/**
 * The slot sweeper (DESIGN.md, "The slot ledger"). Each pass lists every Timekeeper schedule (a few
 * ListSchedules calls for thousands), re-scans the open rows (planned or running) of the last
 * `windowMs` by nominal time and gives every past one its verdict, keeps planned rows in step and
 * raises drift alerts. A schedule is described only when the listing or a slot calls for it: its
 * plan is new or due a top-up, the listing shows it changed, paused or gone, an unrun slot needs its
 * counters, or its periodic drift check is due. It follows no cursor: a row is looked at for as long
 * as it is open, whatever clock stamped it or however late its writer committed. Every write is
 * conditional, so passes (and instances) may overlap safely.
 */
export class Sweeper {
  private watches: Map<string, Watch> | null = null;
  private readonly spans = new Map<string, number>();
  // Job -> when its schedule was last described (in memory: after a failover every job is due once, spread out).
  private readonly describedAt = new Map<string, number>();
  private readonly judge: Judge;
  private readonly drift: DriftAlerts;

  constructor(private readonly ctx: SweepContext) {
    this.judge = new Judge(ctx);
    this.drift = new DriftAlerts(ctx);
  }

  async pass(): Promise<SweepStats> {
    const now = Date.now();
    let mark = performance.now();
    const lap = (): number => {
      const at = performance.now();
      const ms = at - mark;
      mark = at;
      return Math.round(ms);
    };
    const em = this.ctx.orm.em.fork();
    const jobs = await em.find(JobDefinition, {});
    const live = new Map(jobs.filter((j) => !j.deletedAt).map((j) => [j.key, j]));
    this.watches ??= await loadWatches(this.ctx.orm);
    const due = await em.execute<DueRow[]>(
      `select id, job_key, nominal_time, status, workflow_id, run_id, started_at from job_slots
       where status in ('planned', 'running') and nominal_time >= ? and nominal_time <= ? order by nominal_time limit ?`,
      [new Date(now - this.ctx.sweep.windowMs), new Date(now), MAX_OPEN_ROWS],
    );
    const byJob = new Map<string, OpenRow[]>();
    for (const r of due) {
      const row: OpenRow = {
        id: r.id,
        jobKey: r.job_key,
        nominalTime: utcDate(r.nominal_time),
        status: r.status,
        workflowId: r.workflow_id,
        runId: r.run_id,
        startedAt: utcDate(r.started_at),
      };
      byJob.set(row.jobKey, [...(byJob.get(row.jobKey) ?? []), row]);
    }
    this.judge.retain(new Set(due.map((r) => r.id)));

    const stats: SweepStats = { jobs: live.size, open: due.length, verdicts: 0, planned: 0, described: 0, failedJobs: 0, phases: { read: 0, list: 0, jobs: 0, save: 0 } };
    const changed: Watch[] = [];
    for (const key of [...this.watches.keys()]) if (!live.has(key)) await this.jobDeleted(key);
    stats.phases.read = lap();
    // undefined: Temporal did not answer the listing; runs are still judged by their own state.
    const listed = await listTimekeeperSchedules(this.ctx.temporal).catch((err: unknown) => {
      this.ctx.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'list schedules failed');
      return undefined;
    });
    stats.phases.list = lap();
    await eachLimit([...live.values()], this.ctx.sweep.concurrency, async (job) => {
      try {
        const rows = byJob.get(job.key) ?? [];
        byJob.delete(job.key);
        const summary = listed ? (listed.get(scheduleIdFor(job.key)) ?? null) : undefined;
        const companion = listed ? listed.has(dstScheduleIdFor(job.key)) : undefined;
        const { verdicts, watchChanged, watch, described } = await this.sweepJob(job, rows, summary, companion, now);
        stats.verdicts += verdicts;
        if (described) stats.described++;
        if (watchChanged) {
          changed.push(watch);
          stats.planned++;
        }
      } catch (err) {
        stats.failedJobs++;
        stats.lastError = err instanceof Error ? err.message : String(err);
        this.ctx.logger.warn({ jobKey: job.key, err: stats.lastError }, 'sweep of a job failed; next pass retries');
      }
    });
    // Runs of jobs deleted since they started still get their verdicts.
    await eachLimit([...byJob.values()].flat(), this.ctx.sweep.concurrency, async (row) => {
      if (row.status === 'running' && (await this.judge.running(row, now).catch(() => false))) stats.verdicts++;
    });
    stats.phases.jobs = lap();
    if (changed.length) await saveWatches(this.ctx.orm, changed);
    stats.phases.save = lap();
    return stats;
  }

  private async sweepJob(
    job: JobDefinition,
    rows: OpenRow[],
    summary: ScheduleSummary | null | undefined,
    /** Whether the listing shows a clock-change companion (undefined: not listed, so describe it to know). */
    companion: boolean | undefined,
    now: number,
  ): Promise<{ verdicts: number; watchChanged: boolean; watch: Watch; described: boolean }> {
    // A pause window pauses the schedule (not the definition: its slots stay planned and get `paused`).
    // What the schedule should look like, for the listing's checks; the drift check asks again below.
    const expectedAt = async (at: Date): Promise<JobDefinition> =>
      !job.paused && (await this.ctx.policies.pausingAt(job.key, at)) ? Object.assign(Object.create(Object.getPrototypeOf(job) as object) as JobDefinition, job, { paused: true }) : job;
    const expected = await expectedAt(new Date(now));
    // From the listing (no describe): also lifts a window's pause left over from before a failover.
    if (summary) await this.ctx.windows.apply(job, summary.state, companion);
    const watch = this.watches!.get(job.key) ?? { jobKey: job.key, specHash: null, scheduleCreatedAt: null, plannedUntil: null, snapshots: [] };
    this.watches!.set(job.key, watch);
    let watchChanged = false;
    // Described at most once per pass, and only when something needs it.
    let described: Promise<ScheduleDescription | null | undefined> | null = null;
    const describe = (): Promise<ScheduleDescription | null | undefined> => {
      described ??= (async () => {
        let desc: ScheduleDescription | null | undefined;
        let dst: ScheduleDescription | null = null;
        let expectedNow = expected;
        try {
          // Windows first (a boundary may have passed since the pass began), then what Temporal says.
          await this.ctx.windows.apply(job, undefined, companion);
          expectedNow = await expectedAt(new Date());
          [desc, dst] = await Promise.all([
            describeSchedule(this.ctx.temporal, scheduleIdFor(job.key)),
            companion === false ? null : describeSchedule(this.ctx.temporal, dstScheduleIdFor(job.key)),
          ]);
        } catch (err) {
          this.ctx.logger.debug({ jobKey: job.key, err: err instanceof Error ? err.message : String(err) }, 'describe schedule failed');
          return undefined; // Temporal did not answer: unrun slots wait for a later pass
        }
        this.describedAt.set(job.key, Date.now());
        await this.drift.check(expectedNow, desc, dst, now);
        if (desc) {
          // Snapshots are kept back to the oldest slot that may still need one (as a "before").
          const oldestPlanned = rows.find((r) => r.status === 'planned')?.nominalTime.getTime() ?? now;
          const before = JSON.stringify(watch.snapshots);
          watch.snapshots = addSnapshot(watch.snapshots, snapshotOf(desc), Math.min(oldestPlanned, now));
          if (JSON.stringify(watch.snapshots) !== before) watchChanged = true;
          if (await planJob(this.ctx, job, desc, watch, now, this.spans)) watchChanged = true;
        }
        return desc;
      })();
      return described;
    };
    if (summary !== undefined && (await this.needsDescribe(expected, watch, summary, now))) await describe();

    let verdicts = 0;
    const view = async (): Promise<ScheduleView> => {
      const desc = await describe();
      return desc === undefined ? undefined : { desc, watch };
    };
    for (const row of rows) {
      const judged = row.status === 'running' ? await this.judge.running(row, now) : await this.judge.planned(row, job, view, now, summary);
      if (judged) verdicts++;
    }
    return { verdicts, watchChanged, watch, described: described !== null };
  }

  /** What the listing cannot settle by itself. */
  private async needsDescribe(job: JobDefinition, watch: Watch, summary: ScheduleSummary | null, now: number): Promise<boolean> {
    if (!summary) return true; // missing (or not listed yet): confirm
    if (watch.specHash === null || specDigest(summary) !== watch.specHash) return true; // first plan, or the spec changed
    if (summary.state.paused !== job.paused) return true; // paused or resumed outside Timekeeper, or not synced yet
    const span = Math.min(this.spans.get(job.key) ?? this.ctx.sweep.planHorizonMs, this.ctx.sweep.planHorizonMs);
    if (!job.paused && (watch.plannedUntil === null || watch.plannedUntil.getTime() - now < span / 2)) return true; // plan top-up
    if (await this.drift.hasOpen(job.key)) return true; // until it resolves
    const last = this.describedAt.get(job.key);
    if (last === undefined) {
      // First sight since this instance took the lease: due at a random point of the next drift period.
      this.describedAt.set(job.key, now - Math.random() * this.ctx.sweep.driftCheckMs);
      return false;
    }
    return now - last >= this.ctx.sweep.driftCheckMs;
  }

  /** A deleted job: its planned rows go (its history stays) and its open alerts are resolved. */
  private async jobDeleted(jobKey: string): Promise<void> {
    await removePlannedSlots(this.ctx.orm.em.fork(), jobKey);
    const open = await this.ctx.store.unresolvedOf(jobKey);
    await this.ctx.store.resolve(open.map((a) => a.id), 'system', 'job deleted');
    this.drift.forget(jobKey);
    await deleteWatch(this.ctx.orm, jobKey);
    this.watches!.delete(jobKey);
    this.spans.delete(jobKey);
    this.describedAt.delete(jobKey);
  }
}
