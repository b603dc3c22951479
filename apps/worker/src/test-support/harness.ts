import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { JobKind, RunInput } from '@timekeeper/contracts';
import { createOrm, freshTestDatabase, migrate, type MikroORM } from '@timekeeper/db';
import {
  createActivities,
  createRedlock,
  noopMetrics,
  workflowsPath,
  type Activities,
  type JobDeps,
  Redis,
  type RunSummary,
} from '@timekeeper/jobs';
import { deleteKeysByPrefix, parseConfig } from '@timekeeper/runtime';
import { WorkerConfigSchema } from '../config';

/** The services' addresses, parsed through the worker's own config schema (which names a missing one). */
export const testConfig = parseConfig(WorkerConfigSchema);

const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export type Harness = {
  dbUrl: string;
  orm: MikroORM;
  redis: Redis;
  redlock: ReturnType<typeof createRedlock>;
  deps: JobDeps;
  client: Client;
  taskQueue: string;
  /** Starts an in-process worker on the suite's task queue (several may run). */
  startWorker(opts?: { maxConcurrentActivities?: number; activities?: Partial<Activities> }): Promise<Worker>;
  /** A RunInput with test-friendly policies. */
  input(kind: JobKind, params: Record<string, unknown>, overrides?: Partial<RunInput>): RunInput;
  start(input: RunInput, workflowId?: string): Promise<WorkflowHandle<(i: RunInput) => Promise<RunSummary>>>;
  sql<T = Record<string, unknown>[]>(query: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  /** A Redis of the suite's own (e.g. one it SIGKILLs) instead of the shared REDIS_URL. */
  redisUrl?: string;
  /** The pool's statement timeout (default: the worker config's DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
};

/** A suite's own database (migrated), Redis and Temporal clients and task queue; no mocks. */
export async function createHarness(suffix: string, opts: HarnessOptions = {}): Promise<Harness> {
  const dbUrl = await freshTestDatabase(testConfig.DATABASE_URL, suffix);
  const statementTimeoutMs = opts.statementTimeoutMs ?? testConfig.DATABASE_STATEMENT_TIMEOUT_MS;
  const orm = await createOrm({ url: dbUrl, poolMax: 12, statementTimeoutMs });
  await migrate(orm);
  // A key prefix per suite keeps suites (and a running dev stack) from touching each other's locks and caches.
  const keyPrefix = `tktest:${suffix}:`;
  // The database is new, so the keys of an earlier run must go too: its fence keys (tk:fence:<job>) hold
  // tokens the new database never issued, and a fenced write would be refused as StaleFence.
  await deleteKeys(opts.redisUrl ?? testConfig.REDIS_URL, keyPrefix);
  const redis = new Redis(opts.redisUrl ?? testConfig.REDIS_URL, { keyPrefix, maxRetriesPerRequest: 3 });
  const redlock = createRedlock([redis]);
  const taskQueue = `test-${suffix}-${randomUUID()}`;
  const deps: JobDeps = {
    orm,
    redis,
    redlock,
    logger: quietLogger,
    metrics: noopMetrics,
    eventsTopic: 'timekeeper.events',
    lockMaxWaitMs: testConfig.LOCK_MAX_WAIT_MS,
    statementTimeoutMs,
  };
  const connection = await Connection.connect({ address: testConfig.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const workers: Array<{ worker: Worker; running: Promise<void>; nc: NativeConnection }> = [];
  const h: Harness = {
    dbUrl,
    orm,
    redis,
    redlock,
    deps,
    client,
    taskQueue,
    async startWorker(opts = {}) {
      const nc = await NativeConnection.connect({ address: testConfig.TEMPORAL_ADDRESS });
      const worker = await Worker.create({
        connection: nc,
        taskQueue,
        workflowsPath,
        // A test may swap one activity for a job of its own (e.g. a step that ignores cancellation).
        activities: { ...createActivities(deps), ...opts.activities },
        maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 4,
        shutdownGraceTime: '2s',
      });
      workers.push({ worker, running: worker.run(), nc });
      return worker;
    },
    input(kind, params, overrides = {}) {
      return {
        jobKey: `${suffix}-${kind}`.replace(/[^a-z0-9-]/g, '-'),
        kind,
        params,
        timezone: 'UTC',
        definitionVersion: 1,
        retry: { maxAttempts: 3, initialIntervalMs: 200, maxIntervalMs: 1_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
        timeouts: { startToCloseMs: 60_000, heartbeatMs: 5_000 },
        lock: { required: true, ttlMs: 5_000 },
        ...overrides,
      };
    },
    async start(input, workflowId) {
      return client.workflow.start('runJob', {
        taskQueue,
        workflowId: workflowId ?? `tk-${input.jobKey}-${randomUUID()}`,
        args: [input],
      });
    },
    async sql(query, params = []) {
      return orm.em.fork().execute(query, params) as never;
    },
    async close() {
      for (const w of workers) {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await w.running.catch(() => undefined);
        await w.nc.close();
      }
      await connection.close();
      await redis.quit();
      await orm.close(true);
    },
  };
  return h;
}

/** Deletes every key under `prefix`, through a client without keyPrefix (which SCAN would not apply). */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const raw = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    await deleteKeysByPrefix(raw, prefix);
  } finally {
    raw.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
