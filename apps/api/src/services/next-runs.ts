import type { Client } from '@temporalio/client';
import { scheduleIdFor, type NextRunsResponse } from '@timekeeper/contracts';
import type { JobDefinition } from '@timekeeper/db';
import { eachLimit } from '@timekeeper/runtime';
import { slotScheduleOf, type SlotPlanner } from '@timekeeper/scheduling';
import { PLAN_CALLS, temporalCall } from './temporal-call';

type Entry = { at: number; count: number; response: NextRunsResponse };
const TTL_MS = 15_000;
const MAX_ENTRIES = 5_000;
/** Plans of one batch in flight at once. */
const CONCURRENCY = 4;

/**
 * A job's next slots, from the planner that wrote its schedules (so they are the slots those
 * schedules start), each answer kept for 15 s per job row, version and sync state.
 *
 * The job list and the timeline ask for every job they show at once, in every open console, and
 * refetch each minute: the cache lets one answer per job serve them all until the job changes or the
 * entry ages, so what Temporal sees grows with the jobs, not with the viewers. A cached answer drops
 * the slots that have passed since, so it may list fewer than asked for, never a slot in the past.
 */
export class NextRuns {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly planner: SlotPlanner,
    private readonly temporal: Client,
    private readonly callTimeoutMs: number,
  ) {}

  /** Fails as temporalCall does: a 503 `temporal_unavailable` when Temporal fails. */
  async of(job: Readonly<JobDefinition>, count: number): Promise<NextRunsResponse> {
    // The row id, not the key: a job deleted and made again under its key starts at version 1 again.
    const id = `${job.id} ${job.version} ${job.syncStatus}`;
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && now - hit.at < TTL_MS && hit.count >= count) {
      return { ...hit.response, items: hit.response.items.filter((s) => Date.parse(s.utc) > now).slice(0, count) };
    }
    const response = await this.plan(job, count, now);
    this.cache.delete(id);
    this.cache.set(id, { at: now, count, response });
    // Oldest first in a Map: past the cap, the least recently planned entries go.
    for (const old of this.cache.keys()) {
      if (this.cache.size <= MAX_ENTRIES) break;
      this.cache.delete(old);
    }
    return response;
  }

  /** Several jobs' answers, CONCURRENCY plans at a time, in the order given; the first failure fails all. */
  async ofMany(jobs: readonly Readonly<JobDefinition>[], count: number): Promise<NextRunsResponse[]> {
    const out: NextRunsResponse[] = new Array(jobs.length);
    await eachLimit([...jobs.keys()], CONCURRENCY, async (i) => {
      out[i] = await this.of(jobs[i], count);
    });
    return out;
  }

  private async plan(job: Readonly<JobDefinition>, count: number, now: number): Promise<NextRunsResponse> {
    // In step and without jitter, the live main schedule is the throwaway copy the planner would make.
    const live = job.syncStatus === 'synced' && job.jitterMs === 0 ? { scheduleId: scheduleIdFor(job.key) } : {};
    // Bounded like the syncer's planning (it may probe Temporal's zone data).
    const items = await temporalCall(this.temporal, PLAN_CALLS * this.callTimeoutMs, () =>
      this.planner.expectedSlots(slotScheduleOf(job), { from: new Date(now), count }, live),
    );
    return { source: job.syncStatus === 'synced' ? 'schedule' : 'preview', timeBasis: job.cron ? 'wall-clock' : 'absolute', items };
  }
}
