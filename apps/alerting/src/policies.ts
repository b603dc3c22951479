import {
  baselineOf,
  DEFAULT_ALERT_POLICY,
  type AlertKind,
  type AlertPolicyDto,
  type AlertSeverity,
  type DurationBaseline,
  type EffectiveAlertPolicy,
  type MaintenanceWindowDto,
} from '@timekeeper/contracts';
import { durationSamples, effectivePolicyOf, listAlertPolicies, listWindows, type MikroORM } from '@timekeeper/db';
import { WindowCalendar, type ActiveWindow } from './windows';

type JobFacts = { key: string; tags: string[]; expectedMaxDurationMs: number | null };

/**
 * The alert policies and the jobs' tags, read from MySQL at most every `refreshMs` (a policy edit in
 * the API takes effect within that), the maintenance windows, and each job's duration baseline, cached as long. Defaults that
 * no policy sets are the contracts' DEFAULT_ALERT_POLICY (the API reports the same ones).
 */
export class PolicyBook {
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  private policies: AlertPolicyDto[] = [];
  private windows: MaintenanceWindowDto[] = [];
  private readonly calendar = new WindowCalendar();
  private jobs = new Map<string, JobFacts>();
  private readonly effective = new Map<string, EffectiveAlertPolicy>();
  private readonly baselines = new Map<string, { at: number; value: DurationBaseline | null }>();
  /** Reads started, and the number of the latest one finished: a read numbered above N began after N was counted. */
  private readsStarted = 0;
  private readFinished = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly refreshMs: number,
    private readonly base: EffectiveAlertPolicy = DEFAULT_ALERT_POLICY,
  ) {}

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.refreshMs) return;
    this.loading ??= (async () => {
      const read = ++this.readsStarted;
      const em = this.orm.em.fork();
      const [policies, windows, jobs] = await Promise.all([
        listAlertPolicies(em.fork()),
        listWindows(em.fork()),
        em.fork().execute<Array<{ key: string; tags: string[] | string | null; expected_max_duration_ms: number | string | null }>>(
          'select `key`, tags, expected_max_duration_ms from job_definitions where deleted_at is null',
        ),
      ]);
      this.policies = policies;
      this.windows = windows;
      this.jobs = new Map(
        jobs.map((j) => [
          j.key,
          {
            key: j.key,
            tags: (typeof j.tags === 'string' ? (JSON.parse(j.tags) as string[]) : j.tags) ?? [],
            expectedMaxDurationMs: j.expected_max_duration_ms === null ? null : Number(j.expected_max_duration_ms),
          },
        ]),
      );
      this.effective.clear();
      this.loadedAt = Date.now();
      this.readFinished = read;
    })().finally(() => (this.loading = null));
    await this.loading;
  }

  /** The job's effective policy (a job not known, e.g. `_webhook` or one deleted, gets the global one). */
  async of(jobKey: string): Promise<EffectiveAlertPolicy> {
    await this.fresh();
    let p = this.effective.get(jobKey);
    if (!p) {
      p = effectivePolicyOf(this.policies, this.jobs.get(jobKey) ?? { key: jobKey, tags: [] }, this.base);
      this.effective.set(jobKey, p);
    }
    return p;
  }

  /** The job's tags as last read (synchronous: the delivery filters run per stream entry). */
  tagsOf(jobKey: string): readonly string[] {
    return this.jobs.get(jobKey)?.tags ?? [];
  }

  /** Reads of policies, windows and tags: how many started, and the number of the latest one finished (a test waits for one that began after a change). */
  get reads(): { started: number; finished: number } {
    return { started: this.readsStarted, finished: this.readFinished };
  }

  /** Reads policies, windows and tags now if they are older than the refresh period. */
  async refresh(): Promise<void> {
    await this.fresh();
  }

  /** The maintenance windows covering the job in force at `at` (pause windows first). */
  async windowsAt(jobKey: string, at: Date): Promise<ActiveWindow[]> {
    await this.fresh();
    if (!this.windows.length) return [];
    return this.calendar.activeFor(this.windows, this.jobs.get(jobKey) ?? { key: jobKey, tags: [] }, at.getTime());
  }

  /** Keys of the live jobs some window covers (by key or tag), in force or not. */
  async coveredJobKeys(): Promise<string[]> {
    await this.fresh();
    if (!this.windows.length) return [];
    return [...this.jobs.values()].filter((j) => this.windows.some((w) => w.jobs.includes(j.key) || w.tags.some((t) => j.tags.includes(t)))).map((j) => j.key);
  }

  /** The pause window covering the job at `at`, if any. */
  async pausingAt(jobKey: string, at: Date): Promise<ActiveWindow | null> {
    return (await this.windowsAt(jobKey, at)).find((w) => w.mode === 'pause') ?? null;
  }

  /** Policy severity for a kind, if the job's policy sets one. */
  async severityOf(jobKey: string, kind: AlertKind): Promise<AlertSeverity | undefined> {
    return (await this.of(jobKey)).severity[kind];
  }

  /**
   * The job's duration baseline over its succeeded runs; `before` (a slot being judged) leaves that
   * slot and later ones out and is not cached.
   */
  async baseline(jobKey: string, before?: Date): Promise<DurationBaseline | null> {
    const policy = await this.of(jobKey);
    const cached = this.baselines.get(jobKey);
    if (!before && cached && Date.now() - cached.at < this.refreshMs) return cached.value;
    const samples = await durationSamples(this.orm.em.fork(), jobKey, policy, { before });
    const value = baselineOf(
      samples.map((s) => s.durationMs),
      policy,
      this.jobs.get(jobKey)?.expectedMaxDurationMs ?? null,
    );
    if (!before) this.baselines.set(jobKey, { at: Date.now(), value });
    return value;
  }
}
