import { Kafka, logLevel } from 'kafkajs';
import { createOrm } from '@timekeeper/db';
import { createRedisClients, createRedlock, type JobDeps, type JobLogger, type JobMetrics } from '@timekeeper/jobs';
import { redisUrls, type WorkerConfig } from './config';

/** Builds the activities' dependencies from config; `close` releases them in reverse order. */
export async function createJobDeps(
  config: WorkerConfig,
  logger: JobLogger,
  metrics: JobMetrics,
): Promise<{ deps: JobDeps; kafka: Kafka; close(): Promise<void> }> {
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  const clients = createRedisClients(redisUrls(config));
  const redlock = createRedlock(clients);
  const kafka = new Kafka({
    clientId: 'timekeeper-worker',
    brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 300, retries: 3 },
  });
  const deps: JobDeps = {
    orm,
    redis: clients[0],
    redlock,
    logger,
    metrics,
    eventsTopic: config.EVENTS_TOPIC,
    lockMaxWaitMs: config.LOCK_MAX_WAIT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  };
  return {
    deps,
    kafka,
    async close() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      await orm.close(true);
    },
  };
}
