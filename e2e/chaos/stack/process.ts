import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from '../log';
import { sleep, waitFor } from '../wait';

export type AppSpec = {
  name: string;
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  readyUrl: string;
  /** Where the process's pid is kept, so a later run can stop what an interrupted one left behind. */
  pidFile: string;
};

/** The variable every app of a chaos run carries (its data dir): how a leftover is told from anyone else's process. */
export const RUN_MARKER = 'TK_CHAOS_DATA_DIR';

/**
 * SIGKILLs app processes an earlier run left running (it was itself killed): only pids from its pid
 * files whose environment carries this data dir's marker.
 */
export function killLeftovers(pidDir: string, dataDir: string): number {
  if (!existsSync(pidDir)) return 0;
  let killed = 0;
  for (const f of readdirSync(pidDir)) {
    const pid = Number(readFileSync(join(pidDir, f), 'utf8'));
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${RUN_MARKER}=${dataDir}`)) continue;
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // gone already
    }
  }
  return killed;
}

/** An exit the chaos run did not cause: a crash after start, or a failed start (e.g. MariaDB was down). */
export type OwnExit = { app: string; pid: number | undefined; at: number; livedMs: number; code: number | null; signal: string | null };

/** A process that lived shorter than this failed to start rather than crashed. */
export const START_FAILURE_MS = 10_000;

/**
 * One app process (node dist/server.js) that the run can SIGKILL, SIGSTOP and SIGCONT by pid. An
 * exit the run did not ask for is recorded and the process started again, so the fleet stays whole.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private expectingExit = false;
  private closing = false;
  private exited: Promise<void> = Promise.resolve();
  stopped = false;

  constructor(
    readonly spec: AppSpec,
    private readonly ownExits: OwnExit[],
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    const log = openSync(this.spec.logFile, 'a');
    const child = spawn(process.execPath, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', log, log] });
    closeSync(log);
    if (child.pid) writeFileSync(this.spec.pidFile, String(child.pid));
    this.child = child;
    const startedAt = Date.now();
    this.stopped = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        resolve();
        if (this.expectingExit || this.closing) return;
        const livedMs = Date.now() - startedAt;
        this.ownExits.push({ app: this.name, pid: child.pid, at: Date.now(), livedMs, code, signal });
        say(`${this.name} (pid ${child.pid}) exited on its own (${signal ?? `code ${code}`}, after ${Math.round(livedMs / 1000)} s); starting it again`);
        void sleep(1_000).then(() => {
          if (!this.closing && !this.child) this.start();
        });
      });
    });
  }

  /** Sends a signal the run means (SIGKILL: waits for the exit; the caller restarts). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    try {
      child.kill(signal);
      await this.exited;
    } finally {
      this.expectingExit = false;
    }
  }

  /** SIGSTOP: the process freezes with its locks, connections and leases, as a long GC pause or a VM stall would. */
  pause(): void {
    this.child?.kill('SIGSTOP');
    this.stopped = true;
  }

  resume(): void {
    this.child?.kill('SIGCONT');
    this.stopped = false;
  }

  async ready(timeoutMs: number): Promise<boolean> {
    const ok = await waitFor(async () => {
      const res = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(2_000) });
      return res.ok;
    }, timeoutMs, 300);
    return ok === true;
  }

  /** At the end: SIGCONT if stopped, SIGTERM, then SIGKILL after a grace period. */
  async shutdown(graceMs = 15_000): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (!child) return;
    if (this.stopped) this.resume();
    child.kill('SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}
