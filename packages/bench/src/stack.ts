import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { childEnv, type StackEnv } from './report';

export const ROOT = resolve(__dirname, '../../..');
export type AppName = 'api' | 'worker' | 'alerting' | 'web';

export type Stack = {
  procs: Partial<Record<AppName, ChildProcess>>;
  apiUrl: string;
  webUrl: string;
  adminKey: string;
  /** This installation's name: its schedules carry it (listOwnedScheduleIds), its task queue is named after it. */
  instance: string;
  stop: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, proc: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode} while starting`);
    if (await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false)) return;
    await sleep(500);
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

/**
 * The built apps as servers (as scripts/apps.sh starts them) on ports `portBase`.. (api, worker,
 * alerting, web), on `databaseUrl` (migrated by the caller), with an instance, task queue, Redis keys
 * and Kafka topics of their own, so nothing reaches another installation sharing the services.
 */
export async function startStack(opts: { apps: AppName[]; services: StackEnv; databaseUrl: string; portBase: number; tag: string }): Promise<Stack> {
  const port = (i: number) => String(opts.portBase + i);
  const adminKey = `tk_bench_${randomBytes(18).toString('base64url')}`;
  const instance = `bench-${opts.tag}`;
  const env = childEnv({
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.services.REDIS_URL,
    TEMPORAL_ADDRESS: opts.services.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: opts.services.TEMPORAL_NAMESPACE,
    KAFKA_BROKERS: opts.services.KAFKA_BROKERS,
    ADMIN_API_KEY: adminKey,
    CONSOLE_SECRET: randomBytes(24).toString('base64url'),
    API_PORT: port(0),
    WORKER_PORT: port(1),
    ALERTING_PORT: port(2),
    WEB_PORT: port(3),
    API_URL: `http://127.0.0.1:${port(0)}`,
    TIMEKEEPER_INSTANCE: instance,
    TEMPORAL_TASK_QUEUE: instance,
    ALERTING_LEASE_KEY: `tk:${instance}:lease`,
    LIVE_STREAM_KEY: `tk:${instance}:live`,
    SYNC_JOBS_CONFIG: 'false',
    // A benchmark defines jobs far faster than a person: the per-key mutation limit is not what it measures.
    RATE_LIMIT_MUTATIONS_PER_MIN: '1000000',
    // The broker creates these on first use.
    KAFKA_TOPIC_ALERTS: `timekeeper.alerts.${instance}`,
    KAFKA_TOPIC_RUNS: `timekeeper.runs.${instance}`,
    EVENTS_TOPIC: `timekeeper.events.${instance}`,
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  const procs: Stack['procs'] = {};
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const p of children) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all(children.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.once('exit', r)))));
  };
  for (const app of opts.apps) {
    // Node itself (not a pnpm wrapper) for the console too, so SIGTERM reaches the server.
    const command = app === 'web' ? ['node', 'node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', port(3)] : ['node', 'dist/server.js'];
    const child = spawn(command[0], command.slice(1), { cwd: join(ROOT, 'apps', app), env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (c: Buffer) => process.stderr.write(c.toString().replace(/^(?=.)/gm, `[${app}] `)));
    procs[app] = child;
    children.push(child);
  }
  const health: Record<AppName, string> = {
    api: `http://127.0.0.1:${port(0)}/readyz`,
    worker: `http://127.0.0.1:${port(1)}/readyz`,
    alerting: `http://127.0.0.1:${port(2)}/readyz`,
    web: `http://127.0.0.1:${port(3)}/readyz`,
  };
  try {
    for (const app of opts.apps) await waitReady(health[app], procs[app]!, app);
  } catch (err) {
    await stop();
    throw err;
  }
  return { procs, apiUrl: `http://127.0.0.1:${port(0)}`, webUrl: `http://127.0.0.1:${port(3)}`, adminKey, instance, stop };
}
