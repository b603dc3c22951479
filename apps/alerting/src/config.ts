import { Type, type Static } from '@sinclair/typebox';

export const AlertingConfigSchema = Type.Object({
  ALERTING_HOST: Type.String({ default: '127.0.0.1' }),
  ALERTING_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 4100 }),
  DATABASE_URL: Type.String({ pattern: '^mysql://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  KAFKA_BROKERS: Type.String({ minLength: 3 }),
  KAFKA_TOPIC_ALERTS: Type.String({ default: 'timekeeper.alerts' }),
  KAFKA_TOPIC_RUNS: Type.String({ default: 'timekeeper.runs' }),
  TEMPORAL_ADDRESS: Type.String({ pattern: '^[^:/]+:\\d+$' }),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type AlertingConfig = Static<typeof AlertingConfigSchema>;
