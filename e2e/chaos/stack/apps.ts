import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type ChaosSettings } from '../config';
import { isolatedEnv, type Connection } from './infra';
import { AppProcess, RUN_MARKER, type OwnExit } from './process';

/** What the chaos installation is called everywhere it could meet another: schedules, queue, Redis keys, database. */
export const INSTANCE = 'chaos';
export const DATABASE = 'timekeeper_chaos';

export type Fleet = { api: AppProcess; alerting: AppProcess; workers: AppProcess[]; all: AppProcess[]; ownExits: OwnExit[] };

export function databaseUrl(conn: Connection): string {
  return new URL(DATABASE, conn.databaseServerUrl).toString();
}

/** Where the apps' pid files are (see killLeftovers). */
export const appPidDir = (settings: ChaosSettings) => join(settings.dataDir, 'pids');

/** The API, the alerting service and N workers of the private stack, on its own ports, queue and keys. */
export function createFleet(settings: ChaosSettings, conn: Connection, adminKey: string): Fleet {
  const logs = join(settings.dataDir, 'logs');
  const pids = appPidDir(settings);
  mkdirSync(logs, { recursive: true });
  mkdirSync(pids, { recursive: true });
  const { ports } = settings;
  const common = {
    DATABASE_URL: databaseUrl(conn),
    REDIS_URL: `${conn.redisUrl}/7`,
    TEMPORAL_ADDRESS: conn.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `tk-${INSTANCE}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ports.temporalUi}`,
    KAFKA_BROKERS: conn.kafkaBrokers,
    TIMEKEEPER_INSTANCE: INSTANCE,
    LIVE_STREAM_KEY: `tk:${INSTANCE}:live`,
    LOG_LEVEL: 'info',
    [RUN_MARKER]: settings.dataDir,
  };
  const ownExits: OwnExit[] = [];
  const app = (name: string, dir: string, readyUrl: string, env: Record<string, string>) =>
    new AppProcess(
      {
        name,
        cwd: join(ROOT, dir),
        args: ['dist/server.js'],
        env: isolatedEnv({ ...common, ...env }),
        logFile: join(logs, `${name}.log`),
        pidFile: join(pids, `${name}.pid`),
        readyUrl,
      },
      ownExits,
    );
  const api = app('api', 'apps/api', `http://127.0.0.1:${ports.api}/readyz`, {
    API_PORT: String(ports.api),
    ADMIN_API_KEY: adminKey,
    SYNC_JOBS_CONFIG: 'false',
  });
  const alerting = app('alerting', 'apps/alerting', `http://127.0.0.1:${ports.alerting}/readyz`, {
    ALERTING_PORT: String(ports.alerting),
    ALERTING_LEASE_KEY: `tk:${INSTANCE}:alerting:lease`,
  });
  const workers = Array.from({ length: settings.options.workers }, (_, i) =>
    app(`worker-${i + 1}`, 'apps/worker', `http://127.0.0.1:${ports.worker(i)}/readyz`, {
      WORKER_PORT: String(ports.worker(i)),
      WORKER_SHUTDOWN_GRACE_MS: '2000',
    }),
  );
  return { api, alerting, workers, all: [api, alerting, ...workers], ownExits };
}
