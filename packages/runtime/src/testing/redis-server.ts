import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portAnswers } from './ports';

/**
 * For tests: a redis-server of the test's own (Debian's, or REDIS_SERVER), without persistence like
 * the one infra/ starts, so a test can SIGKILL it and restart it empty on the same port without
 * touching the shared Redis.
 */
export class OwnRedisServer {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'tk-redis-'));

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(port ?? (await freePort()));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (again) on the same port, with an empty dataset. */
  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER ?? 'redis-server';
    const child = spawn(bin, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (!(await portAnswers(this.port))) {
      if (child.exitCode !== null) throw new Error(`own redis-server on port ${this.port} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`own redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends `signal` (SIGKILL: a crash, nothing saved) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill(signal);
    });
  }
}
