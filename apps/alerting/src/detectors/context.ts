import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import type { Logger } from 'pino';
import type { AlertStore, Cursors } from '../store';

/** What every detector gets. */
export type DetectorContext = {
  orm: MikroORM;
  temporal: Client;
  store: AlertStore;
  /** Position of the outbox dead-letter follower (the slot ledger is swept, not followed). */
  cursors: Cursors;
  logger: Logger;
  temporalUiUrl: string;
  namespace: string;
  runsTopic: string;
  recoverAfterSuccesses: number;
};

/** One detector: a pass that looks at the world once; the service runs it on a timer while it holds the lease. */
export type Detector = { name: string; intervalMs: number; pass(): Promise<void> };

/** A bounded set of keys already handled, so re-read windows cost no database round trip. */
export class SeenSet {
  private current = new Set<string>();
  private previous = new Set<string>();
  constructor(private readonly limit = 20_000) {}
  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }
  add(key: string): void {
    this.current.add(key);
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Set();
    }
  }
}

/** `tk-<job>-<RFC3339>` -> job and slot, for runs whose search attributes are missing. */
export function parseScheduledWorkflowId(workflowId: string): { jobKey: string; slot: Date } | null {
  const m = /^tk-(.+)-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))$/.exec(workflowId);
  if (!m) return null;
  const slot = new Date(m[2]);
  return Number.isNaN(slot.getTime()) ? null : { jobKey: m[1], slot };
}

/** The id Temporal gives a scheduled run: schedule id, '-', nominal time in RFC 3339 (seconds, UTC). */
export function scheduledWorkflowId(jobKey: string, slot: Date): string {
  return `tk-${jobKey}-${slot.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}
