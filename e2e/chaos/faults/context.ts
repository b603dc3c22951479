import type { Client } from '@temporalio/client';
import type { ChaosJob } from '../workload/jobs';
import type { ApiClient } from '../stack/api-client';
import type { Fleet } from '../stack/apps';
import type { PrivateInfra } from '../stack/infra';
import type { Timeline } from './timeline';

/** What the late retry and the backfill did, for the expected slots and the report; when Kafka was fully down. */
export type ScenarioOutcome = {
  /**
   * Spans Kafka was down and not stopping or starting: the outage proper. Its JVM's stop and start
   * burn this 2-core machine's CPU (in production Kafka runs elsewhere), so the commit latency counts
   * the intervals that touch them on neither side.
   */
  kafkaDown?: Array<{ start: number; end: number }>;
  backfill?: { jobKey: string; from: Date; to: Date; slots: number };
  lateRetry?: { jobKey: string; slot: string; killedAfterChunk: number; newerSlot: string; retryWorkflowId: string; verdict: string };
};

export type FaultContext = {
  infra: PrivateInfra;
  fleet: Fleet;
  api: ApiClient;
  temporal: Client;
  jobs: ChaosJob[];
  /** Per job, the instant from which its slots are expected. */
  since: Map<string, Date>;
  random: () => number;
  timeline: Timeline;
  outcome: ScenarioOutcome;
};
