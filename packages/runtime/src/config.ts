import { type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {}

/**
 * Parses an app's environment once through its schema (defaults applied, strings converted).
 * Throws a ConfigError whose message names the first bad or missing variable.
 */
export function parseConfig<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const candidate = Value.Convert(schema, Value.Default(schema, raw));
  const error = Value.Errors(schema, candidate).First();
  if (error) {
    const name = error.path.replace(/^\//, '').split('/')[0] || error.schema.required?.[0] || 'environment';
    const missing = raw[name] === undefined && error.message.startsWith('Expected required');
    throw new ConfigError(missing ? `${name} is required` : `${name} is invalid: ${error.message}`);
  }
  return candidate as Static<T>;
}

/** For an app's entry point: parse, or print one line naming the variable and exit 1. */
export function loadConfigOrExit<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  try {
    return parseConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * The owner tag of an installation's schedules and Redis keys: TIMEKEEPER_INSTANCE, else the database
 * name. The API and alerting tag and sweep the same things, so they derive it the same way.
 */
export const instanceOf = (config: { TIMEKEEPER_INSTANCE?: string; DATABASE_URL: string }): string =>
  config.TIMEKEEPER_INSTANCE ?? new URL(config.DATABASE_URL).pathname.slice(1);
