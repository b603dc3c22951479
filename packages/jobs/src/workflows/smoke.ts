import { proxyActivities } from '@temporalio/workflow';
import type { SmokeActivities } from '../activities/smoke';

const { echo } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

/** A trivial round trip through a worker; used by the worker's readiness smoke test. */
export async function smokeWorkflow(message: string): Promise<string> {
  return `workflow saw: ${await echo(message)}`;
}
