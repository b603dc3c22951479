import { Type, type Static } from '@sinclair/typebox';

// Every setting the API reads, parsed once at start (see loadConfigOrExit).
export const ApiConfigSchema = Type.Object({
  API_HOST: Type.String({ default: '127.0.0.1' }),
  API_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 4000 }),
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^:/]+:\\d+$' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'timekeeper' }),
  TEMPORAL_UI_URL: Type.String({ default: 'http://127.0.0.1:8233' }),
  TIMEKEEPER_INSTANCE: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Owner tag on schedules; default: the database name' })),
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
  MAX_BACKFILL_SLOTS: Type.Integer({ minimum: 1, maximum: 100_000, default: 1_000 }),
  TEMPORAL_CALL_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 3_000 }),
  RECONCILE_PENDING_INTERVAL_MS: Type.Integer({ minimum: 100, default: 2_000 }),
  RECONCILE_DRIFT_INTERVAL_MS: Type.Integer({ minimum: 1_000, default: 60_000 }),
  SYNC_MAX_BACKOFF_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  KAFKA_TOPIC_ALERTS: Type.String({ default: 'timekeeper.alerts', description: 'Topic of alert events (ack/resolve go there too)' }),
  LIVE_STREAM_KEY: Type.String({ default: 'tk:live', description: 'Redis stream that /v1/events relays; same as the alerting service' }),
  SYNC_JOBS_CONFIG: Type.Boolean({ default: true, description: 'Upsert config/jobs.yaml at start' }),
  JOBS_CONFIG_PATH: Type.String({ default: '../../config/jobs.yaml', description: 'Relative to the API package directory' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ApiConfig = Static<typeof ApiConfigSchema>;
