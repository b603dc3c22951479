import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, portAnswers } from './ports';

/**
 * For tests: a Temporal dev server of the test's own (the CLI infra/up.sh installed, or TEMPORAL_CLI),
 * so a test can stop and restart Temporal without disturbing the shared one. Its SQLite file survives
 * restarts.
 */
export class OwnTemporalServer {
  private child?: ChildProcess;
  readonly dbFile = join(mkdtempSync(join(tmpdir(), 'tk-temporal-')), 'temporal.db');

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnTemporalServer> {
    const server = new OwnTemporalServer(await freePort());
    await server.start();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const cli = process.env.TEMPORAL_CLI ?? resolve(__dirname, '../../../../.data/venv/bin/temporal') /* from packages/runtime/{src,dist}/testing */;
    this.child = spawn(
      cli,
      ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(this.port), '--db-filename', this.dbFile, '--log-level', 'error',
        '--search-attribute', 'TimekeeperJobKey=Keyword', '--search-attribute', 'TimekeeperSlot=Datetime'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 60_000;
    while (!(await portAnswers(this.port))) {
      if (Date.now() > deadline) throw new Error(`own Temporal server did not start on ${this.address}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
  }
}
