import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { infra, ROOT, SERVICE_VARS } from './infra-cli';

/** The same, in the background: resolves when it exits; `out` fills as it prints. */
function infraAsync(command: string, args: string[], env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SERVICE_VARS.includes(k)));
  const child = spawn('bash', [join(ROOT, 'infra', `${command}.sh`), ...args], { env: { ...base, ...env } });
  const run = { out: '', done: undefined as unknown as Promise<number | null> };
  child.stdout.on('data', (d: Buffer) => (run.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (run.out += d.toString()));
  run.done = new Promise((r) => child.on('exit', (code) => r(code)));
  return run;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}

describe('infra scripts', () => {
  it('up is idempotent: a second run reuses every running service', () => {
    const before = infra('status').out;
    const again = infra('up');
    expect(again.code).toBe(0);
    for (const s of ['mariadb', 'redis', 'temporal', 'kafka']) expect(again.out).toContain(`${s}: already running`);
    expect(infra('status').out).toBe(before);
  });

  it('status prints one line per service with state, address, pid and data dir', () => {
    const { code, out } = infra('status');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['mariadb', 'redis', 'temporal', 'kafka']);
    for (const line of lines) expect(line).toMatch(/^\S+\s+up\s+127\.0\.0\.1:\d+.*pid \d+\s+\.data\/\S+/);
  });

  describe('an instance of ours that was just killed', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tk-infra-kill-'));
    let env: Record<string, string>;
    let dying: number | undefined;
    afterAll(() => {
      if (dying) spawnSync('kill', ['-KILL', String(dying)]); // whatever the test's outcome, the stopped one goes
      infra('down', ['redis'], env);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('up waits for a pid that is alive but does not answer, then starts a new instance once it is gone', async () => {
      env = { TK_DATA_DIR: dataDir, REDIS_PORT: String(await freePort()) };
      expect(infra('up', ['redis'], env).code).toBe(0);
      const pidFile = join(dataDir, 'redis', 'redis.pid');
      dying = Number(readFileSync(pidFile, 'utf8'));
      // SIGSTOP holds it where a SIGKILLed process is for a moment: alive, no longer answering.
      process.kill(dying, 'SIGSTOP');
      const up = infraAsync('up', ['redis'], env);
      const exited = up.done.then(() => true);
      for (const deadline = Date.now() + 30_000; !up.out.includes('does not answer') && Date.now() < deadline; ) {
        if (await Promise.race([exited, new Promise<false>((r) => setTimeout(() => r(false), 100))])) break;
      }
      expect(up.out).not.toContain('already running');
      expect(up.out).toContain(`pid ${dying} is alive but does not answer`);
      process.kill(dying, 'SIGKILL');
      expect(await up.done).toBe(0);
      expect(up.out).toContain('redis: starting');
      const fresh = Number(readFileSync(pidFile, 'utf8'));
      expect(fresh).not.toBe(dying);
      // infra starts Redis with a generated password (kept beside its data).
      const password = readFileSync(join(dataDir, 'redis', 'password'), 'utf8').trim();
      const ping = spawnSync('redis-cli', ['-p', env.REDIS_PORT, '--no-auth-warning', '-a', password, 'ping'], { encoding: 'utf8' });
      expect(ping.stdout.trim()).toBe('PONG');
    });
  });

  describe('a port held by another process', () => {
    let holder: Server;
    const dataDir = mkdtempSync(join(tmpdir(), 'tk-infra-'));
    afterAll(() => {
      holder?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('fails with a message naming the port', async () => {
      holder = createServer();
      await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
      const port = (holder.address() as { port: number }).port;
      const res = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
      expect(res.code).not.toBe(0);
      expect(res.out).toContain(`port ${port} is already taken`);
      expect(res.out).toContain('REDIS_PORT');
    });

    it('an unknown service name is refused', () => {
      const res = infra('status', ['postgres'], { TK_DATA_DIR: dataDir });
      expect(res.code).toBe(1);
      expect(res.out).toContain("unknown service 'postgres'");
    });

    it('an external URL that does not answer is refused, naming the variable', async () => {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as { port: number }).port;
      await new Promise((r) => probe.close(r));
      const res = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}` });
      expect(res.code).toBe(1);
      expect(res.out).toContain('REDIS_URL points at');
    });
  });
});
