import type { ScheduleDescription } from '@temporalio/client';
import { scheduleIdFor } from '@timekeeper/contracts';
import { JobDefinition, sqlTime } from '@timekeeper/db';
import { removePlannedSlots } from '@timekeeper/jobs';
import { describeSchedule } from '@timekeeper/scheduling';
import { addSnapshot, snapshotOf } from './schedule-progress';
import type { SweepContext } from './context';
import { DriftAlerts } from './drift';
import { Judge, type OpenRow } from './judge';
import { planJob } from './planner';
import { deleteWatch, loadWatches, saveWatches, type Watch } from './watch';

export type SweepStats = { jobs: number; open: number; verdicts: number; planned: number; failedJobs: number };

type DueRow = { id: number; job_key: string; nominal_time: string; status: 'planned' | 'running'; workflow_id: string | null; run_id: string | null; started_at: string | null };

// Open rows read per pass; more wait for the next pass (oldest first, so none is starved).
const MAX_OPEN_ROWS = 50_000;

/** Runs fn over items, at most `limit` at once. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * The slot sweeper (DESIGN.md, "The slot ledger"): each pass describes every job's schedule once,
 * keeps its planned rows in step, raises drift alerts, and re-scans the open rows (planned or
 * running) of the last `windowMs` by nominal time, giving every past one its verdict. It follows no
 * cursor: a row is looked at for as long as it is open, whatever clock stamped it or however late
 * its writer committed. Every write is conditional, so passes (and instances) may overlap safely.
 */
export class Sweeper {
  private watches: Map<string, Watch> | null = null;
  private readonly spans = new Map<string, number>();
  private readonly judge: Judge;
  private readonly drift: DriftAlerts;

  constructor(private readonly ctx: SweepContext) {
    this.judge = new Judge(ctx);
    this.drift = new DriftAlerts(ctx);
  }

  async pass(): Promise<SweepStats> {
    const now = Date.now();
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
        nominalTime: sqlTime(r.nominal_time)!,
        status: r.status,
        workflowId: r.workflow_id,
        runId: r.run_id,
        startedAt: sqlTime(r.started_at),
      };
      byJob.set(row.jobKey, [...(byJob.get(row.jobKey) ?? []), row]);
    }
    this.judge.retain(new Set(due.map((r) => r.id)));

    const stats: SweepStats = { jobs: live.size, open: due.length, verdicts: 0, planned: 0, failedJobs: 0 };
    const changed: Watch[] = [];
    for (const key of [...this.watches.keys()]) if (!live.has(key)) await this.jobDeleted(key);
    await eachLimit([...live.values()], this.ctx.sweep.concurrency, async (job) => {
      try {
        const rows = byJob.get(job.key) ?? [];
        byJob.delete(job.key);
        const { verdicts, watchChanged, watch } = await this.sweepJob(job, rows, now);
        stats.verdicts += verdicts;
        if (watchChanged) {
          changed.push(watch);
          stats.planned++;
        }
      } catch (err) {
        stats.failedJobs++;
        this.ctx.logger.warn({ jobKey: job.key, err: err instanceof Error ? err.message : String(err) }, 'sweep of a job failed; next pass retries');
      }
    });
    // Runs of jobs deleted since they started still get their verdicts.
    await eachLimit([...byJob.values()].flat(), this.ctx.sweep.concurrency, async (row) => {
      if (row.status === 'running' && (await this.judge.running(row, now).catch(() => false))) stats.verdicts++;
    });
    if (changed.length) await saveWatches(this.ctx.orm, changed);
    return stats;
  }

  private async sweepJob(job: JobDefinition, rows: OpenRow[], now: number): Promise<{ verdicts: number; watchChanged: boolean; watch: Watch }> {
    const watch = this.watches!.get(job.key) ?? { jobKey: job.key, specHash: null, scheduleCreatedAt: null, plannedUntil: null, snapshots: [] };
    this.watches!.set(job.key, watch);
    let desc: ScheduleDescription | null | undefined;
    let watchChanged = false;
    try {
      desc = await describeSchedule(this.ctx.temporal, scheduleIdFor(job.key));
    } catch (err) {
      desc = undefined; // Temporal did not answer: runs are judged by their own state; unrun slots wait
      this.ctx.logger.debug({ jobKey: job.key, err: err instanceof Error ? err.message : String(err) }, 'describe schedule failed');
    }
    if (desc !== undefined) await this.drift.check(job, desc, now);
    if (desc) {
      // Snapshots are kept back to the oldest slot that may still need one (as a "before").
      const oldestPlanned = rows.find((r) => r.status === 'planned')?.nominalTime.getTime() ?? now;
      const before = JSON.stringify(watch.snapshots);
      watch.snapshots = addSnapshot(watch.snapshots, snapshotOf(desc), Math.min(oldestPlanned, now));
      watchChanged = JSON.stringify(watch.snapshots) !== before;
      if (await planJob(this.ctx, job, desc, watch, now, this.spans)) watchChanged = true;
    }
    let verdicts = 0;
    const view = desc === undefined ? undefined : { desc, watch };
    for (const row of rows) {
      const judged = row.status === 'running' ? await this.judge.running(row, now) : await this.judge.planned(row, job, view, now);
      if (judged) verdicts++;
    }
    return { verdicts, watchChanged, watch };
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
  }
}
