import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { dstScheduleIdFor, scheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { AuditEntry, createOrm, freshTestDatabase, JobDefinition, migrate, type MikroORM } from '@timekeeper/db';
import { createActivities, createRedisClients, createRedlock, noopMetrics, workflowsPath } from '@timekeeper/jobs';
import { createLogger, createMetricsRegistry, parseConfig } from '@timekeeper/runtime';
import { applySchedule, callCounter, checkCron, deleteSchedule, jobFingerprint, SlotPlanner } from '@timekeeper/scheduling';
import type Redis from 'ioredis';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { AlertingConfigSchema, type AlertingConfig } from '../config';
import { createKafka } from '../kafka';
import { createAlertingMetrics } from '../metrics';
import { AlertingService } from '../service';
import { PolicyBook } from '../policies';
import { AlertStore, Cursors } from '../store';
import type { SweepContext } from '../sweeper/context';
import { WindowEnforcer } from '../window-enforcer';

// Workers in tests log errors only (the failures they log are the point of these tests).
try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // already installed in this process
}

/** The services' addresses, parsed through the alerting config schema (which names a missing one). */
export const testConfig = parseConfig(AlertingConfigSchema);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a truthy value or the timeout passes. */
/** A stored cron (the operator's form) as Temporal takes it, as the API's syncer compiles it. */
function temporalCronOf(cron: string): string {
  const c = checkCron(cron);
  if (!c.ok) throw new Error(`bad test cron ${cron}: ${c.message}`);
  return c.temporalCron;
}

export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export type StreamEntry = { id: string; event: string; data: Record<string, unknown>; outboxId: string };
export type Consumed = { key: string; eventId: string; value: Record<string, unknown>; receivedAt: number };

export type JobOptions = {
  intervalMs?: number;
  cron?: string;
  params?: Record<string, unknown>;
  gracePeriodMs?: number;
  expectedMaxDurationMs?: number | null;
  overlapPolicy?: JobDefinition['overlapPolicy'];
  startToCloseMs?: number;
  maxAttempts?: number;
  runTimeoutMs?: number;
  /** The schedule's catch-up window (default 10 s, Temporal's minimum). */
  catchupWindowMs?: number;
  /** Create the Temporal schedule too (default true). */
  schedule?: boolean;
  /** Paused in Timekeeper and its schedule in Temporal alike (default false). */
  paused?: boolean;
};

export type HarnessOptions = {
  /** A Temporal of the suite's own (e.g. an OwnTemporalServer it stops and restarts) instead of TEMPORAL_ADDRESS. */
  temporalAddress?: string;
};

/**
 * A suite's own database, Redis keys, Kafka topics and Temporal task queue, real services throughout.
 * Services (alerting instances) and workers are started on demand.
 */
export async function createHarness(name: string, opts: HarnessOptions = {}): Promise<HarnessShape> {
  const temporalAddress = opts.temporalAddress ?? testConfig.TEMPORAL_ADDRESS;
  const suffix = `alerting_${name}`;
  const dbUrl = await freshTestDatabase(testConfig.DATABASE_URL, suffix);
  const orm: MikroORM = await createOrm({ url: dbUrl, poolMax: 20 });
  await migrate(orm);
  const [redis] = createRedisClients([testConfig.REDIS_URL]) as unknown as Redis[];
  const id = randomUUID().slice(0, 8);
  const taskQueue = `test-alerting-${name}-${id}`;
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection });
  // Alerting instances get a connection of their own, whose calls are counted (benchmarks print them).
  const serviceCalls = new Map<string, number>();
  const serviceConnection = await Connection.connect({
    address: temporalAddress,
    interceptors: [callCounter((method) => serviceCalls.set(method, (serviceCalls.get(method) ?? 0) + 1))],
  });
  const serviceTemporal = new Client({ connection: serviceConnection });
  const kafka = createKafka(testConfig.KAFKA_BROKERS, `alerting-test-${name}`);
  const topics = { alerts: `timekeeper.alerts.test-${name}-${id}`, runs: `timekeeper.runs.test-${name}-${id}` };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: topics.alerts, numPartitions: 2 }, { topic: topics.runs, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const baseEnv: Record<string, string> = {
    DATABASE_URL: dbUrl,
    REDIS_URL: testConfig.REDIS_URL,
    KAFKA_BROKERS: testConfig.KAFKA_BROKERS,
    TEMPORAL_ADDRESS: temporalAddress,
    KAFKA_TOPIC_ALERTS: topics.alerts,
    KAFKA_TOPIC_RUNS: topics.runs,
    LIVE_STREAM_KEY: `tk:test:${name}:${id}:live`,
    ALERTING_LEASE_KEY: `tk:test:${name}:${id}:lease`,
    DESTINATION_SECRETS_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  };
  // Test speed: passes a few times a second, so suites see verdicts in moments. Benchmarks leave these
  // out (startService(…, 'defaults')): at these rates a thousand jobs would keep Temporal busy with the
  // sweeper's own listing and describes.
  const testSpeedEnv: Record<string, string> = {
    ALERTING_SWEEP_MS: '300',
    ALERTING_REPORT_POLL_MS: '100',
    ALERTING_SWEEP_RECHECK_MS: '500',
    // A short horizon keeps the suites' ledgers small (a 5 s interval would plan 1,500 rows a job).
    ALERTING_PLAN_HORIZON_MS: '300000',
    ALERTING_PLAN_MAX_SLOTS: '100',
    // Policy or action edits outside Timekeeper only show in a describe (the listing has no policies).
    ALERTING_DRIFT_CHECK_MS: '2000',
    ALERTING_OVERDUE_POLL_MS: '300',
    ALERTING_POLICY_REFRESH_MS: '100',
    ALERTING_REALERT_POLL_MS: '200',
    ALERTING_WINDOW_POLL_MS: '100',
    ALERTING_LIVE_POLL_MS: '100',
    ALERTING_RELAY_IDLE_MS: '100',
    ALERTING_RELAY_MAX_BACKOFF_MS: '1000',
    ALERTING_LEASE_TTL_MS: '4000',
    ALERTING_LEASE_RENEW_MS: '500',
    ALERTING_MISSED_LOOKBACK_MS: '60000',
  };
  const config: AlertingConfig = parseConfig(AlertingConfigSchema, { ...baseEnv, ...testSpeedEnv });
  const services: AlertingService[] = [];
  const workers: Array<{ worker: Worker; running: Promise<void>; nc: NativeConnection }> = [];
  const consumers: Consumer[] = [];
  const jobs: string[] = [];
  const jobDeps = {
    orm,
    redis: redis as never,
    redlock: createRedlock([redis as never]),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: noopMetrics,
    eventsTopic: 'timekeeper.events',
  };

  const h: HarnessShape = {
    name,
    orm,
    redis,
    temporal,
    kafka,
    topics,
    taskQueue,
    config,
    streamKey: config.LIVE_STREAM_KEY,
    serviceCalls,

    /** An alerting instance (started); overrides are env-style strings; `defaults`: the app's own pass rates. */
    startService(overrides: Record<string, string> = {}, speed: 'test' | 'defaults' = 'test'): AlertingService {
      const cfg = parseConfig(AlertingConfigSchema, { ...baseEnv, ...(speed === 'test' ? testSpeedEnv : {}), ...overrides });
      const k = createKafka(cfg.KAFKA_BROKERS, `alerting-${name}`);
      const logger = createLogger(`alerting-test-${name}`, cfg.LOG_LEVEL);
      const svc = new AlertingService({ config: cfg, orm, redis, temporal: serviceTemporal, kafka: k, logger, metrics: createAlertingMetrics(createMetricsRegistry('alerting')) });
      svc.start();
      services.push(svc);
      return svc;
    },

    /** A sweeper's context on the suite's services, outside any alerting instance (its settings as the defaults). */
    sweepContext(sweep: Partial<SweepContext['sweep']> = {}): SweepContext {
      const policies = new PolicyBook(orm, 5_000);
      const logger = createLogger(`alerting-sweep-${name}`, 'silent');
      return {
        orm, temporal, logger, policies,
        store: new AlertStore(orm, topics.alerts), cursors: new Cursors(orm),
        temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default', runsTopic: topics.runs,
        windows: new WindowEnforcer({ orm, temporal, policies, logger }),
        planner: new SlotPlanner(temporal, { taskQueue, instance: `test-${name}` }),
        sweep: {
          planHorizonMs: config.ALERTING_PLAN_HORIZON_MS, planMaxSlots: config.ALERTING_PLAN_MAX_SLOTS, firstPlanLookbackMs: config.ALERTING_MISSED_LOOKBACK_MS,
          windowMs: config.ALERTING_SWEEP_WINDOW_MS, recheckMs: config.ALERTING_SWEEP_RECHECK_MS, concurrency: config.ALERTING_SWEEP_CONCURRENCY,
          driftCheckMs: config.ALERTING_DRIFT_CHECK_MS, ...sweep,
        },
      };
    },

    /** Stops every alerting instance (gracefully: the lease is released). */
    async stopServices(): Promise<void> {
      for (const s of services.splice(0)) await s.stop();
    },

    async startWorker(): Promise<Worker> {
      const nc = await NativeConnection.connect({ address: temporalAddress });
      const worker = await Worker.create({ connection: nc, taskQueue, workflowsPath, activities: createActivities(jobDeps as never), shutdownGraceTime: '1s' });
      workers.push({ worker, running: worker.run(), nc });
      return worker;
    },

    async stopWorkers(): Promise<void> {
      for (const w of workers.splice(0)) {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await w.running.catch(() => undefined);
        await w.nc.close();
      }
    },

    runInput(jobKey: string, params: Record<string, unknown>, o: { startToCloseMs?: number; maxAttempts?: number } = {}): RunInput {
      return {
        jobKey,
        kind: 'synthetic',
        params,
        timezone: 'UTC',
        definitionVersion: 1,
        retry: { maxAttempts: o.maxAttempts ?? 1, initialIntervalMs: 100, maxIntervalMs: 500, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
        timeouts: { startToCloseMs: o.startToCloseMs ?? 30_000, heartbeatMs: 5_000 },
        lock: { required: false, ttlMs: 5_000 },
      };
    },

    /** Stores a job definition (and by default its Temporal schedule; else it stays sync-pending). */
    async createJob(key: string, o: JobOptions = {}): Promise<JobDefinition> {
      const em = orm.em.fork();
      const job = Object.assign(new JobDefinition(), {
        key,
        name: key,
        kind: 'synthetic',
        params: o.params ?? { chunks: 1, chunkMs: 10 },
        cron: o.cron ?? null,
        intervalMs: o.cron ? null : (o.intervalMs ?? 5_000),
        overlapPolicy: o.overlapPolicy ?? 'skip',
        catchupWindowMs: o.catchupWindowMs ?? 10_000,
        retry: { maxAttempts: o.maxAttempts ?? 1, initialIntervalMs: 100, maxIntervalMs: 500, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
        timeouts: { runMs: o.runTimeoutMs ?? 120_000, startToCloseMs: o.startToCloseMs ?? 30_000, heartbeatMs: 5_000 },
        lockRequired: false,
        expectedMaxDurationMs: o.expectedMaxDurationMs ?? null,
        gracePeriodMs: o.gracePeriodMs ?? 2_000,
        syncStatus: o.schedule === false ? 'pending' : 'synced',
        paused: o.paused ?? false,
      });
      await em.persistAndFlush(job);
      if (o.schedule !== false) await h.syncJob(job);
      return job;
    },

    /** Creates (or updates) a stored job's Temporal schedule and marks it synced, as the API's reconciler does. */
    async syncJob(job: JobDefinition): Promise<void> {
      if (!jobs.includes(job.key)) jobs.push(job.key);
      const print = await applySchedule(temporal, {
        scheduleId: scheduleIdFor(job.key),
        dstScheduleId: dstScheduleIdFor(job.key),
        jobKey: job.key,
        instance: `test-${name}`,
        temporalCron: job.cron ? temporalCronOf(job.cron) : null,
        intervalMs: job.cron ? null : job.intervalMs,
        timezone: 'UTC',
        dstWindows: [],
        jitterMs: 0,
        overlapPolicy: job.overlapPolicy,
        catchupWindowMs: job.catchupWindowMs,
        paused: job.paused,
        pauseNote: job.paused ? 'paused by the test' : null,
        runTimeoutMs: job.timeouts.runMs,
        taskQueue,
        input: { ...h.runInput(job.key, job.params, { startToCloseMs: job.timeouts.startToCloseMs, maxAttempts: job.retry.maxAttempts }) },
      });
      // Plain SQL, as the API's syncer writes it: sync bookkeeping does not bump the definition's version.
      await orm.em.fork().execute("update job_definitions set sync_status = 'synced', sync_error = null, schedule_fingerprint = ? where `key` = ?", [print, job.key]);
    },

    /** Pauses a job as the API does: the definition and its audit entry first, then the schedule. */
    async pauseJob(key: string): Promise<void> {
      const em = orm.em.fork();
      await em.execute('update job_definitions set paused = 1 where `key` = ?', [key]);
      await em.persistAndFlush(Object.assign(new AuditEntry(), { actor: 'test', action: 'job.pause', jobKey: key }));
      await temporal.schedule.getHandle(scheduleIdFor(key)).pause('paused by the test');
      const print = await jobFingerprint(temporal, scheduleIdFor(key), dstScheduleIdFor(key));
      await em.execute('update job_definitions set schedule_fingerprint = ? where `key` = ?', [print, key]);
    },

    /** Deletes a job as the API's syncer does: the schedule, then the definition. */
    async deleteJob(key: string): Promise<void> {
      await deleteSchedule(temporal, scheduleIdFor(key));
      await orm.em.fork().nativeDelete(JobDefinition, { key });
    },

    /** Starts one run directly (as a manual trigger would), for an explicit slot. */
    async startRun(jobKey: string, params: Record<string, unknown>, o: { slot?: Date; startToCloseMs?: number; maxAttempts?: number; runTimeoutMs?: number } = {}) {
      const slot = o.slot ?? new Date(Math.floor(Date.now() / 1000) * 1000);
      const input = { ...h.runInput(jobKey, params, o), slot: slot.toISOString() };
      const handle = await temporal.workflow.start('runJob', {
        taskQueue,
        workflowId: `tk-${jobKey}-${slot.toISOString().replace(/\.\d{3}Z$/, 'Z')}-${randomUUID().slice(0, 6)}`,
        args: [input],
        searchAttributes: { TimekeeperJobKey: [jobKey] },
        ...(o.runTimeoutMs ? { workflowExecutionTimeout: o.runTimeoutMs } : {}),
      });
      return { handle, slot };
    },

    /** Everything on the suite's live stream so far. */
    async stream(): Promise<StreamEntry[]> {
      const raw = (await redis.xrange(config.LIVE_STREAM_KEY, '-', '+')) as Array<[string, string[]]>;
      return raw.map(([entryId, f]) => {
        const m: Record<string, string> = {};
        for (let i = 0; i < f.length; i += 2) m[f[i]] = f[i + 1];
        return { id: entryId, event: m.event, data: JSON.parse(m.data) as Record<string, unknown>, outboxId: m.outboxId };
      });
    },

    /** Collects every message of a topic from the beginning. */
    async consume(topic: string): Promise<Consumed[]> {
      const got: Consumed[] = [];
      const consumer = kafka.consumer({ groupId: `t-${randomUUID()}`, maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }: { message: KafkaMessage }) => {
          got.push({
            key: message.key?.toString() ?? '',
            eventId: message.headers?.['event-id']?.toString() ?? '',
            value: JSON.parse(message.value!.toString()) as Record<string, unknown>,
            receivedAt: Date.now(),
          });
        },
      });
      return got;
    },

    async sql<T = Record<string, unknown>[]>(query: string, params: unknown[] = []): Promise<T> {
      return orm.em.fork().getConnection().execute(query, params) as Promise<T>;
    },

    async close(): Promise<void> {
      for (const s of services) await s.stop().catch(() => undefined);
      await h.stopWorkers();
      for (const c of consumers) await c.disconnect().catch(() => undefined);
      for (const key of jobs) await deleteSchedule(temporal, scheduleIdFor(key)).catch(() => undefined);
      const keys = await redis.keys(`tk:test:${name}:${id}:*`);
      if (keys.length) await redis.del(...keys);
      await connection.close();
      await serviceConnection.close();
      await redis.quit();
      await orm.close(true);
    },
  };
  return h;
}

export type Harness = HarnessShape;

type HarnessShape = {
  name: string;
  orm: MikroORM;
  redis: Redis;
  temporal: Client;
  /** Temporal calls by gRPC method, made by the alerting instances this harness started. */
  serviceCalls: Map<string, number>;
  kafka: ReturnType<typeof createKafka>;
  topics: { alerts: string; runs: string };
  taskQueue: string;
  config: AlertingConfig;
  streamKey: string;
  startService(overrides?: Record<string, string>, speed?: 'test' | 'defaults'): AlertingService;
  sweepContext(sweep?: Partial<SweepContext['sweep']>): SweepContext;
  stopServices(): Promise<void>;
  startWorker(): Promise<Worker>;
  stopWorkers(): Promise<void>;
  runInput(jobKey: string, params: Record<string, unknown>, o?: { startToCloseMs?: number; maxAttempts?: number }): RunInput;
  createJob(key: string, o?: JobOptions): Promise<JobDefinition>;
  syncJob(job: JobDefinition): Promise<void>;
  pauseJob(key: string): Promise<void>;
  deleteJob(key: string): Promise<void>;
  startRun(
    jobKey: string,
    params: Record<string, unknown>,
    o?: { slot?: Date; startToCloseMs?: number; maxAttempts?: number; runTimeoutMs?: number },
  ): Promise<{ handle: WorkflowHandle; slot: Date }>;
  stream(): Promise<StreamEntry[]>;
  consume(topic: string): Promise<Consumed[]>;
  sql<T = Record<string, unknown>[]>(query: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
};
