import { Type, type Static } from '@sinclair/typebox';

export const WorkerConfigSchema = Type.Object({
  WORKER_HOST: Type.String({ default: '127.0.0.1' }),
  WORKER_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4200 }),
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 2, maximum: 200, default: 12 }),
  // MariaDB max_statement_time of every worker session; a chunk's statements get at most its attempt's remaining time.
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  // Several independent Redis masters for a redlock quorum; the first also holds the caches and their fence keys.
  REDIS_URLS: Type.Optional(Type.String({ pattern: '^rediss?://[^,]+(,\\s*rediss?://[^,]+)*$' })),
  KAFKA_BROKERS: Type.String({ minLength: 3 }),
  EVENTS_TOPIC: Type.String({ default: 'timekeeper.events', minLength: 1 }),
  OUTBOX_RELAY_ENABLED: Type.Boolean({ default: true }),
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
  // Refusals by Kafka (unknown topic, message too large) after which an outbox row is dead-lettered.
  OUTBOX_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  // Wait before retrying a refused row; doubles per refusal.
  OUTBOX_RETRY_BASE_MS: Type.Integer({ minimum: 10, maximum: 600_000, default: 1_000 }),
  // Relay lease: a crashed publishing relay is replaced by a standby within this long.
  OUTBOX_LEASE_MS: Type.Integer({ minimum: 1_000, maximum: 300_000, default: 15_000 }),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^:/]+:\\d+$' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'timekeeper' }),
  WORKER_MAX_CONCURRENT_ACTIVITIES: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
  // How long a job activity tries to take a busy lock before LockBusy hands the wait to the workflow.
  LOCK_MAX_WAIT_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0 }),
  WORKER_SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type WorkerConfig = Static<typeof WorkerConfigSchema>;

/** The redlock clients' URLs: REDIS_URLS when set, else REDIS_URL alone. */
export function redisUrls(config: WorkerConfig): string[] {
  return (config.REDIS_URLS ?? config.REDIS_URL).split(',').map((u) => u.trim()).filter(Boolean);
}
