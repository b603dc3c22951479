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
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
  LOG_LEVEL: Type.String({ default: 'info' }),
});
export type ApiConfig = Static<typeof ApiConfigSchema>;
