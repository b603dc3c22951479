import Redlock from 'redlock';
import type { Redis } from './redis';

export const lockKey = (jobKey: string) => `tk:lock:${jobKey}`;

/** Redlock over one or more independent Redis masters (a quorum when several). */
export function createRedlock(clients: Redis[]): Redlock {
  // One vote round per call: withJobLock (job-lock.ts) paces its own tries, extensions and release.
  return new Redlock(clients, { retryCount: 0, driftFactor: 0.01 });
}
