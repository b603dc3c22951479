import type { JobDefinitionDto, RunView } from '@timekeeper/contracts';
import { createOrm, ensureDatabase, migrate, seedDataset, TERMINAL_SLOT_STATUSES, type MikroORM } from '@timekeeper/db';
import type { ApiClient } from '../stack/api-client';
import { say } from '../log';
import { waitOrThrow } from '../wait';
import type { ChaosJob } from './jobs';

export type Seeded = { users: number; orders: number };

/** Creates the chaos database, migrates it and seeds the loyalty data the jobs work on. */
export async function prepareDatabase(url: string, data: Seeded): Promise<MikroORM> {
  await ensureDatabase(url);
  const orm = await createOrm({ url, poolMax: 4 });
  await migrate(orm);
  const seeded = await seedDataset(orm, { users: data.users, orders: data.orders, seed: 7 });
  say(`seeded ${seeded.users} users, ${seeded.orders} orders, ${seeded.products} products, ${seeded.sessions} sessions in ${(seeded.ms / 1000).toFixed(1)} s`);
  return orm;
}

/**
 * Creates the jobs through the API and waits until Temporal has each schedule. Returns, per job, the
 * instant from which its slots are expected: a second after its schedule existed.
 */
export async function createJobs(api: ApiClient, jobs: ChaosJob[]): Promise<Map<string, Date>> {
  const since = new Map<string, Date>();
  for (const job of jobs) {
    await api.expect([201, 202], 'POST', '/v1/jobs', job.body);
    await waitOrThrow(
      `schedule of ${job.key} in Temporal`,
      async () => (await api.call<JobDefinitionDto>('GET', `/v1/jobs/${job.key}`)).body.syncStatus === 'synced',
      60_000,
      300,
    );
    since.set(job.key, new Date(Date.now() + 1_000));
  }
  return since;
}

/**
 * Waits until every job with an interval of at most `maxIntervalMs` has started a slot and the VIP job
 * (the heaviest first run: every tier changes) has finished one, so the faults, and the baseline of
 * the commit latency, meet a system past its first runs.
 */
export async function warmUp(api: ApiClient, jobs: ChaosJob[], maxIntervalMs: number, timeoutMs: number): Promise<void> {
  const started = new Set(jobs.filter((j) => j.intervalMs <= maxIntervalMs).map((j) => j.key));
  const finished = new Set(jobs.filter((j) => j.kind === 'vip-recalculation').map((j) => j.key));
  const runsOf = async (key: string) => (await api.call<{ items: RunView[] }>('GET', `/v1/jobs/${key}/runs?limit=5`)).body.items.filter((r) => r.source === 'ledger');
  await waitOrThrow(
    `a first run of every job (still waiting: ${[...started, ...finished].join(', ')})`,
    async () => {
      for (const key of [...started]) if ((await runsOf(key)).some((r) => r.status !== 'planned')) started.delete(key);
      for (const key of [...finished]) if ((await runsOf(key)).some((r) => (TERMINAL_SLOT_STATUSES as readonly string[]).includes(r.status))) finished.delete(key);
      return started.size === 0 && finished.size === 0;
    },
    timeoutMs,
    1_000,
  );
}
