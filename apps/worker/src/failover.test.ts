import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './test-support/harness';

// Two real worker processes (src/server.ts under tsx); the one running the job is killed with SIGKILL
// mid-run. The activity is retried on the other, waits out the dead holder's lock, resumes after the
// last committed chunk, and every chunk's effects land once.
let h: Harness;
const children: ChildProcess[] = [];
beforeAll(async () => {
  h = await createHarness('failover');
}, 60_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await h?.close();
}, 30_000);

/** Spawns a worker process on the suite's database and task queue; resolves once it polls. */
async function spawnWorker(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts')], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: h.dbUrl,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      WORKER_PORT: '0',
      OUTBOX_RELAY_ENABLED: 'false',
      LOG_LEVEL: 'info',
      WORKER_SHUTDOWN_GRACE_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.slice(-2000)}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output.slice(-2000)}`)));
  });
  return child;
}

const count = async (sql: string, params: unknown[] = []) => Number((await h.sql<Array<{ n: number }>>(sql, params))[0].n);

describe('worker crash', () => {
  it('resumes on another worker from the last checkpoint after SIGKILL; effects once', async () => {
    const workers = await Promise.all([spawnWorker('worker-a'), spawnWorker('worker-b')]);
    const input = h.input(
      'synthetic',
      { chunks: 16, chunkMs: 400 },
      {
        jobKey: 'crash',
        slot: '2026-11-20T03:00:00.000Z',
        timeouts: { startToCloseMs: 60_000, heartbeatMs: 2_000 },
        lock: { required: true, ttlMs: 3_000 },
        retry: { maxAttempts: 5, initialIntervalMs: 200, maxIntervalMs: 1_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
      },
    );
    const handle = await h.start(input);
    await eventually(async () => (await count('select count(*) as n from job_checkpoints where job_key = ?', ['crash'])) >= 4);
    // The worker identity defaults to <pid>@<host>: kill the process that runs the activity.
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    const pid = Number(pending[0]?.lastWorkerIdentity?.split('@')[0]);
    const victim = workers.find((w) => w.pid === pid);
    expect(victim).toBeDefined();
    victim!.kill('SIGKILL');
    const committedAtKill = await count('select count(*) as n from job_checkpoints where job_key = ?', ['crash']);

    const summary = await handle.result();
    expect(summary.status).toBe('succeeded');
    expect(summary.result!.attempt).toBeGreaterThanOrEqual(2);
    expect(summary.result!.resumedAfterChunk).toBeGreaterThanOrEqual(committedAtKill - 1);
    expect(summary.result!.counts).toEqual({ chunks: 16 });
    const chunks = await h.sql<Array<{ chunk: number }>>('select chunk from job_checkpoints where job_key = ? order by chunk', ['crash']);
    expect(chunks.map((c) => c.chunk)).toEqual([...Array(16).keys()]);
    expect(await count("select count(*) as n from outbox where `key` = 'crash'")).toBe(16);
    expect(await count("select count(distinct json_value(payload, '$.chunk')) as n from outbox where `key` = 'crash'")).toBe(16);
    const [slot] = await h.sql<Array<{ status: string; attempt: number }>>('select status, attempt from job_slots where job_key = ?', ['crash']);
    expect(slot).toMatchObject({ status: 'succeeded' });
    expect(slot.attempt).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
