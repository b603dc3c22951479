import { Type, type Static } from '@sinclair/typebox';

export const WorkerConfigSchema = Type.Object({
  WORKER_HOST: Type.String({ default: '127.0.0.1' }),
  WORKER_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 4200 }),
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  KAFKA_BROKERS: Type.String({ minLength: 3 }),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^:/]+:\\d+$' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'timekeeper' }),
  WORKER_MAX_CONCURRENT_ACTIVITIES: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type WorkerConfig = Static<typeof WorkerConfigSchema>;
