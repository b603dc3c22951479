import type { Client } from '@temporalio/client';
import { DEFAULT_ALERTS_TOPIC, DEFAULT_RUNS_TOPIC } from '@timekeeper/contracts';
import { DEFAULT_EVENTS_TOPIC } from '@timekeeper/jobs';
import type { ScenarioOutcome } from '../faults/context';
import type { Timeline } from '../faults/timeline';
import { say } from '../log';
import type { Plan } from '../plan';
import type { ChaosJob } from '../workload/jobs';
import { waitFor } from '../wait';
import { delivery, unsentBefore, type Delivery } from './delivery';
import { duplicateEffects, staleOverwrites, type DuplicateCheck, type StaleOverwrite } from './effects';
import { expectedSlots, type ExpectedSlots } from './expected';
import { readTopics } from './kafka';
import { commitLatency, skipRates, type CommitLatency, type SkipRates } from './latency';
import { assessSlots, type SlotAssessment } from './slots';
import type { Sql } from './sql';

export type VerifyInput = {
  sql: Sql;
  temporal: Client;
  kafkaBrokers: string;
  jobs: ChaosJob[];
  since: Map<string, Date>;
  window: { start: number; end: number };
  outcome: ScenarioOutcome;
  timeline: Timeline;
  plan: Plan;
};

export type Findings = {
  expected: ExpectedSlots;
  slots: SlotAssessment;
  /** How long after the window every expected slot had a verdict or an alert (null: never, within the timeout). */
  settledAfterMs: number | null;
  drained: boolean;
  duplicates: DuplicateCheck[];
  stale: StaleOverwrite[];
  latency: CommitLatency;
  skips: SkipRates;
  delivery: Delivery;
  kafkaMessages: number;
};

/**
 * After the fault window: waits (with timeouts, polling) until every expected slot has a terminal
 * verdict or an alert and none is left running, then until the outbox has handed Kafka everything
 * written so far, then reads Kafka to its end and measures. The schedules keep firing meanwhile;
 * only slots up to the window's end are judged.
 */
export async function verify(input: VerifyInput): Promise<Findings> {
  const { sql, plan } = input;
  const expected = await expectedSlots(input.temporal, input.jobs, input.since, new Date(input.window.end), input.outcome);
  say(`waiting for a verdict or an alert on every expected slot (at most ${plan.settleTimeoutMs / 1000} s)`);
  const open = { lost: -1, stuck: -1 };
  const settled = await waitFor(async () => {
    const now = await assessSlots(sql, expected, input.window.end);
    Object.assign(open, { lost: now.lost.length, stuck: now.stuck.length });
    return open.lost === 0 && open.stuck === 0;
  }, plan.settleTimeoutMs, 2_000);
  const settledAfterMs = settled ? Date.now() - input.window.end : null;
  if (!settled) say(`not settled: ${open.lost} expected slots without a verdict or an alert, ${open.stuck} still running`);

  const cutoff = new Date();
  say(`waiting for the outbox to hand Kafka everything written up to now (at most ${plan.drainTimeoutMs / 1000} s)`);
  const drained = (await waitFor(async () => (await unsentBefore(sql, cutoff)) === 0, plan.drainTimeoutMs, 1_000)) === true;
  const records = await readTopics(input.kafkaBrokers, [DEFAULT_EVENTS_TOPIC, DEFAULT_ALERTS_TOPIC, DEFAULT_RUNS_TOPIC]);
  say(`read ${records.length} messages from Kafka`);

  const slots = await assessSlots(sql, expected, input.window.end);
  return {
    expected,
    slots,
    settledAfterMs,
    drained,
    duplicates: await duplicateEffects(sql, input.jobs, records.filter((r) => r.topic === DEFAULT_EVENTS_TOPIC)),
    stale: await staleOverwrites(sql, input.jobs),
    latency: await commitLatency(sql, input.jobs, input.timeline.records, input.window, input.outcome),
    skips: skipRates(expected, slots.skipped, input.timeline.records),
    delivery: await delivery(sql, input.jobs.map((j) => j.key), cutoff, records),
    kafkaMessages: records.length,
  };
}
