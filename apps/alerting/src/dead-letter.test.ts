import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { Alert, writeOutbox } from '@timekeeper/db';
import { createHarness, eventually, type Harness } from './testing/harness';

// A poison outbox row (its topic does not exist) through a real alerting instance, its relay and the
// shared Kafka: the row is dead-lettered after OUTBOX_MAX_FAILURES refusals, becomes an
// `outbox_dead_letter` alert on the job and slot it came from (in MySQL, on Kafka, on the live stream),
// and the rows behind it, of its own key too, still go out.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('dead_letter');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

describe('outbox dead letter', () => {
  it('dead-letters a row Kafka keeps refusing, raises an alert for it, and lets the rows behind it through', async () => {
    const alerts = await h.consume(h.topics.alerts);
    const runs = await h.consume(h.topics.runs);
    const svc = h.startService({ OUTBOX_MAX_FAILURES: '3', OUTBOX_RETRY_BASE_MS: '50', ALERTING_DEAD_LETTER_POLL_MS: '100' });
    await eventually(() => svc.active, 10_000);
    const slot = '2026-11-20T03:00:00.000Z';
    const jobKey = `dl-job-${randomUUID().slice(0, 6)}`;
    const [poison, behind, other] = await writeOutbox(h.orm.em.fork(), [
      { topic: `timekeeper.no-such-topic-${randomUUID()}`, key: jobKey, type: 'test.poison', payload: { jobKey, slot } },
      { topic: h.topics.runs, key: jobKey, type: 'test.behind', payload: { jobKey, slot } },
      { topic: h.topics.runs, key: 'someone-else', type: 'test.other', payload: {} },
    ]);

    await eventually(() => runs.some((m) => m.eventId === other), 20_000);
    const alert = await eventually(() => h.orm.em.fork().findOne(Alert, { jobKey, kind: 'outbox_dead_letter' }), 20_000);
    expect(alert).toMatchObject({ slot: new Date(slot), status: 'open', severity: 'critical', count: 1 });
    expect(alert.reason).toContain('3 refusals');
    expect(alert.details).toMatchObject({ source: 'outbox', errorType: 'OutboxDeadLetter' });
    expect(alert.details.errorMessage).toContain(poison);
    const [row] = await h.sql<Array<{ failures: number; dead_at: string | null; sent_at: string | null }>>('select failures, dead_at, sent_at from outbox where event_id = ?', [poison]);
    expect(row).toMatchObject({ failures: 3, sent_at: null });
    expect(row.dead_at).not.toBeNull();

    // The follower of the same key went out once the poison was set aside; the alert reached Kafka and the live stream.
    await eventually(() => runs.some((m) => m.eventId === behind), 20_000);
    const raised = await eventually(() => alerts.find((m) => (m.value as AlertEvent).alert.kind === 'outbox_dead_letter'), 20_000);
    expect((raised.value as AlertEvent).alert).toMatchObject({ jobKey, slot });
    await eventually(async () => (await h.stream()).some((e) => e.event === 'alert' && (e.data as AlertEvent).alert.kind === 'outbox_dead_letter'), 10_000);
  }, 60_000);
});
