import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const SERVICE_VARS = ['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS', 'KAFKA_BROKERS'];

/** Runs an infra command as a user would, without the connection variables a test run exports. */
export function infra(command: string, args: string[] = [], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SERVICE_VARS.includes(k)));
  const res = spawnSync('bash', [join(ROOT, 'infra', `${command}.sh`), ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}
