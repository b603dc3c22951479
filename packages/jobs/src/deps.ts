import type { MikroORM } from '@timekeeper/db';
import type Redlock from 'redlock';
import type { Redis } from './lock/redis';

/** The structured logger the jobs need (pino's Logger satisfies it). */
export interface JobLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the jobs report; the worker implements it with prom-client. */
export interface JobMetrics {
  activityStarted(kind: string): void;
  activitySucceeded(kind: string): void;
  activityFailed(kind: string, errorType: string): void;
  chunkCommitted(kind: string, seconds: number): void;
  lockWaited(kind: string, seconds: number, acquired: boolean): void;
  fenceRejected(kind: string): void;
}

export const noopMetrics: JobMetrics = {
  activityStarted: () => undefined,
  activitySucceeded: () => undefined,
  activityFailed: () => undefined,
  chunkCommitted: () => undefined,
  lockWaited: () => undefined,
  fenceRejected: () => undefined,
};

/** Everything activities touch, injected once per worker (temporalio activities-dependency-injection). */
export type JobDeps = {
  orm: MikroORM;
  /** The Redis holding fences and caches (the first of the redlock clients). */
  redis: Redis;
  redlock: Redlock;
  logger: JobLogger;
  metrics: JobMetrics;
  /** Topic for domain events written to the outbox. */
  eventsTopic: string;
  /** How long an activity tries to take a busy job lock before it fails with LockBusy (default 0: one try). */
  lockMaxWaitMs?: number;
  /**
   * The pool's session `max_statement_time` in ms (what createOrm was given; unset: none). Each
   * chunk's transaction lowers it to the attempt's remaining time and restores this value after.
   */
  statementTimeoutMs?: number;
};

export const DEFAULT_EVENTS_TOPIC = 'timekeeper.events';
