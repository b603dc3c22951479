import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../infra-cli';

/**
 * A private API and console for the security suite, started from their builds as `npm start` would
 * (node apps/api/dist/server.js, next start), on free ports, with a database, schedule owner, Redis
 * keys and console secret of their own, and no ADMIN_API_KEY: the API makes the first admin key.
 */
export type Stack = {
  apiUrl: string;
  webUrl: string;
  adminKey: string;
  firstKeyFile: string;
  consoleSecret: string;
  /** Everything the API wrote to stdout and stderr so far. */
  apiOutput: () => string;
  /** Another console on the same API, with other settings (e.g. COOKIE_SECURE=true). */
  startWeb: (env?: Record<string, string>) => Promise<{ url: string; stop: () => Promise<void> }>;
  stopApi: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through npm test, or source .data/infra.env`);
  return v;
}

const get = (url: string) =>
  new Promise<number>((resolve) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });

async function waitFor(what: string, url: string, child: ChildProcess, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await get(url)) !== 200) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url}: ${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  // A process group of its own, so stopping it stops whatever it started.
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(name: string): Promise<Stack> {
  const base = new URL(required('DATABASE_URL'));
  base.pathname = `/${decodeURIComponent(base.pathname.slice(1)) || 'timekeeper'}_test_${name}`;
  const databaseUrl = base.toString();
  const migrated = spawnSync('node', [join(ROOT, 'packages/db/dist/cli/migrate.js'), '--recreate'], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);

  const dir = mkdtempSync(join(tmpdir(), `tk-${name}-`));
  const id = `${name.replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`;
  const consoleSecret = randomBytes(32).toString('base64url');
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const firstKeyFile = join(dir, 'first-admin-key');
  const { ADMIN_API_KEY: _ignored, ...inherited } = process.env;
  const api = run('node', ['dist/server.js'], join(ROOT, 'apps/api'), {
    ...inherited,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    DATABASE_URL: databaseUrl,
    TIMEKEEPER_INSTANCE: id,
    TEMPORAL_TASK_QUEUE: id,
    LIVE_STREAM_KEY: `tk:${id}:live`,
    SYNC_JOBS_CONFIG: 'false',
    CONSOLE_SECRET: consoleSecret,
    FIRST_ADMIN_KEY_FILE: firstKeyFile,
    TEMPORAL_CALL_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'info',
  });
  const webs: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const w of webs.splice(0)) await w();
    await stopChild(api.child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('the API', `${apiUrl}/readyz`, api.child, api.output);
    const startWeb = async (env: Record<string, string> = {}) => {
      const port = await freePort();
      const web = run('node', ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], join(ROOT, 'apps/web'), {
        ...inherited,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        API_URL: apiUrl,
        CONSOLE_SECRET: consoleSecret,
        ...env,
      });
      const stop = () => stopChild(web.child);
      webs.push(stop);
      await waitFor('the console', `http://127.0.0.1:${port}/healthz`, web.child, web.output);
      return { url: `http://127.0.0.1:${port}`, stop };
    };
    const web = await startWeb();
    return {
      apiUrl,
      webUrl: web.url,
      adminKey: readFileSync(firstKeyFile, 'utf8').trim(),
      firstKeyFile,
      consoleSecret,
      apiOutput: api.output,
      startWeb,
      stopApi: () => stopChild(api.child),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
