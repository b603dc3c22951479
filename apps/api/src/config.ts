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
  DESTINATION_SECRETS_KEY: Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F]{64}$',
      description: 'Seals routing destinations’ secrets in MySQL (AES-256-GCM; 64 hex characters, the same in the alerting service); scripts/apps.sh generates one into .data/destination-secrets-key',
    }),
  ),
  SYNC_JOBS_CONFIG: Type.Boolean({ default: true, description: 'Upsert config/jobs.yaml at start' }),
  JOBS_CONFIG_PATH: Type.String({ default: '../../config/jobs.yaml', description: 'Relative to the API package directory' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  FIRST_ADMIN_KEY_FILE: Type.String({ default: '../../.data/first-admin-key', description: 'Where a first admin key is written (mode 0600); relative to the API package directory' }),

  // The console (issue 11). Requests carrying this secret (header x-timekeeper-console) may use sessions
  // and name the browser's address; without it set, console sign-in is refused.
  CONSOLE_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'Shared with the console; generated into .data/console-secret by scripts/apps.sh' })),
  SESSION_TTL_MS: Type.Integer({ minimum: 1_000, default: 12 * 3_600_000, description: 'A console session ends this long after sign-in' }),
  SESSION_IDLE_MS: Type.Integer({ minimum: 1_000, default: 2 * 3_600_000, description: '... or after this long without a request' }),

  // Limits per key (a console session counts as its key), in a one-minute window shared through Redis.
  RATE_LIMIT_MUTATIONS_PER_MIN: Type.Integer({ minimum: 1, default: 120, description: 'POST/PATCH/PUT/DELETE requests' }),
  RATE_LIMIT_EXPENSIVE_PER_MIN: Type.Integer({ minimum: 1, default: 120, description: 'Routes that call Temporal per request (schedule preview, next runs)' }),
  AUTH_MAX_FAILURES: Type.Integer({ minimum: 1, default: 20, description: 'Failed authentications per client address and key prefix per minute before 429s' }),
  SSE_MAX_PER_KEY: Type.Integer({ minimum: 1, default: 20, description: 'Open /v1/events streams per key, across API processes (leases in Redis)' }),
  SSE_MAX_TOTAL: Type.Integer({ minimum: 1, default: 500, description: 'Open /v1/events streams in one API process' }),
  SSE_RECHECK_MS: Type.Integer({ minimum: 100, default: 15_000, description: 'Open streams re-check their key or session this often (revocations also end them at once through Redis)' }),
  PREVIEW_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 1_000, default: 300_000, description: 'How often stale tkpreview-* schedules are deleted' }),
  API_KEY_CACHE_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 5_000,
    description: 'How long a verified API key is trusted without a lookup (revocations reach every API process at once over Redis; 0: look up every request)',
  }),
  UNRECORDED_RUNS_TTL_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 2_000,
    description: 'How long the run listing reuses its one Temporal visibility query for runs no worker has recorded yet',
  }),
});
export type ApiConfig = Static<typeof ApiConfigSchema>;
