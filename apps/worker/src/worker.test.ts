import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createSmokeActivities, workflowsPath } from '@timekeeper/jobs';
import { afterAll, describe, expect, it } from 'vitest';

// Smoke test against the real Temporal dev server started by infra/up.sh.
const address = process.env.TEMPORAL_ADDRESS;
if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run through `npm test` or source .data/infra.env');
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('a real worker on the Temporal dev server', () => {
  it('runs a workflow and its activity to completion', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address });
    closers.push(() => nativeConnection.close());
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createSmokeActivities(),
    });
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    const client = new Client({ connection });
    const result = await worker.runUntil(
      client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: `smoke-${randomUUID()}`, args: ['ping'] }),
    );
    expect(result).toBe('workflow saw: activity echoed: ping');
  }, 60_000);
});
