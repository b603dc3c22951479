import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type ChaosSettings } from '../config';
import { waitOrThrow } from '../wait';

export type Service = 'mariadb' | 'redis' | 'temporal' | 'kafka';
export const SERVICES: Service[] = ['mariadb', 'redis', 'temporal', 'kafka'];

export type Connection = { databaseServerUrl: string; redisUrl: string; temporalAddress: string; kafkaBrokers: string };

// Settings that would make infra/ use (or apps join) the shared services instead of the private ones.
const SHARED_VARS = ['DATABASE_URL', 'REDIS_URL', 'REDIS_URLS', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'KAFKA_BROKERS', 'MARIADB_DATABASE'];

/** The environment of a process of the private stack: the caller's, minus anything pointing at the shared services. */
export function isolatedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of SHARED_VARS) delete env[k];
  return { ...env, ...extra };
}

/**
 * True once the process has left the process table. A killed process first lingers as a zombie until
 * its parent (here init) reaps it, and `kill -0`, which infra/ uses to tell whether a service runs,
 * still succeeds on a zombie.
 */
export function processGone(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`, 'utf8');
    return false;
  } catch {
    return true;
  }
}

/**
 * MariaDB, Redis, Temporal and Kafka of the chaos run's own, through infra/ (up, down, status) with a
 * private TK_DATA_DIR and ports, reusing the tools the main stack installed (TK_TOOLS_DIR).
 */
export class PrivateInfra {
  constructor(private readonly settings: ChaosSettings) {}

  private env(): NodeJS.ProcessEnv {
    const p = this.settings.ports;
    return isolatedEnv({
      TK_DATA_DIR: this.settings.dataDir,
      TK_TOOLS_DIR: this.settings.toolsDir,
      MARIADB_PORT: String(p.mariadb),
      REDIS_PORT: String(p.redis),
      TEMPORAL_PORT: String(p.temporal),
      TEMPORAL_UI_PORT: String(p.temporalUi),
      KAFKA_PORT: String(p.kafka),
      KAFKA_CONTROLLER_PORT: String(p.kafkaController),
    });
  }

  /** Runs infra/<script>.sh for the services; resolves with its output, rejects with it on failure. */
  run(script: 'up' | 'down' | 'status', services: Service[] = []): Promise<string> {
    return new Promise((resolveRun, reject) => {
      const child = spawn('bash', [join(ROOT, 'infra', `${script}.sh`), ...services], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`infra/${script}.sh ${services.join(' ')} exited ${code}:\n${out.trim()}`))));
    });
  }

  up(...services: Service[]): Promise<string> {
    return this.run('up', services);
  }

  down(...services: Service[]): Promise<string> {
    return this.run('down', services);
  }

  /** The pid infra/ started the service with, from `infra/status.sh`, or null when it is down. */
  async pid(service: Service): Promise<number | null> {
    const line = (await this.run('status', [service])).split('\n').find((l) => l.startsWith(service));
    const m = line && /\bup\b.*\bpid (\d+)/.exec(line);
    return m ? Number(m[1]) : null;
  }

  /** SIGKILLs the service (a crash: no shutdown, no flush) and waits until its process is gone. */
  async crash(service: Service): Promise<number> {
    const pid = await this.pid(service);
    if (!pid) throw new Error(`${service} is not running`);
    process.kill(pid, 'SIGKILL');
    // infra/up.sh right after a SIGKILL may still see the dying pid and answer "already running".
    await waitOrThrow(`${service} (pid ${pid}) leaving the process table after SIGKILL`, () => processGone(pid), 30_000, 50);
    return pid;
  }

  /** Starts the service again after `crash`, and checks that a new process answers, not the old pid. */
  async restartAfterCrash(service: Service, oldPid: number): Promise<number> {
    return waitOrThrow(`${service} answering with a new process`, async () => {
      await this.up(service);
      const pid = await this.pid(service);
      return pid && pid !== oldPid ? pid : null;
    }, 60_000, 500);
  }

  /** Stops whatever an earlier run left running here and deletes its data: every run starts empty. */
  async wipe(): Promise<void> {
    await this.down().catch(() => undefined);
    rmSync(this.settings.dataDir, { recursive: true, force: true });
  }

  /** The addresses infra/up.sh wrote to the private data dir's infra.env. */
  connection(): Connection {
    const vars: Record<string, string> = {};
    for (const line of readFileSync(join(this.settings.dataDir, 'infra.env'), 'utf8').split('\n')) {
      const m = /^export (\w+)='(.*)'$/.exec(line);
      if (m) vars[m[1]] = m[2];
    }
    const url = new URL(vars.DATABASE_URL);
    url.pathname = '/';
    return { databaseServerUrl: url.toString(), redisUrl: vars.REDIS_URL, temporalAddress: vars.TEMPORAL_ADDRESS, kafkaBrokers: vars.KAFKA_BROKERS };
  }
}
