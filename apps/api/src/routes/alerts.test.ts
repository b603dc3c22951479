import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alert, OutboxMessage } from '@timekeeper/db';
import { startHarness, type Harness } from '../testing/harness';

// Alerts through the API: list and filter, acknowledge and resolve as an operator, audited, each
// change queued on the outbox for Kafka and the live stream.
let h: Harness;
const ids: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness('alerts_api');
  const em = h.orm.em.fork();
  const mk = (jobKey: string, kind: string, slot: string, status = 'open') =>
    Object.assign(new Alert(), {
      jobKey,
      slot: new Date(slot),
      kind,
      severity: 'critical',
      reason: `${kind} reason`,
      details: { workflowId: `tk-${jobKey}-${slot}` },
      status,
      openKey: status === 'resolved' ? null : `${jobKey}|${slot}|${kind}`,
    });
  const rows = [
    mk('alerts-a', 'failed', '2026-01-01T00:00:00.000Z'),
    mk('alerts-a', 'missed', '2026-01-02T00:00:00.000Z'),
    mk('alerts-b', 'timed_out', '2026-01-03T00:00:00.000Z'),
    mk('alerts-b', 'failed', '2026-01-04T00:00:00.000Z', 'resolved'),
  ];
  await em.persistAndFlush(rows);
  rows.forEach((r) => (ids[`${r.jobKey}/${r.kind}/${r.status}`] = r.id));
}, 60_000);
afterAll(async () => h?.close());

describe('GET /v1/alerts', () => {
  it('lists newest first, filters by job, kind, status and slot range, and pages', async () => {
    const all = await h.call({ method: 'GET', url: '/v1/alerts', key: h.keys.viewer });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((a: { id: number }) => a.id)).toEqual(Object.values(ids).sort((a, b) => b - a));

    const byJob = await h.call({ method: 'GET', url: '/v1/alerts?job=alerts-a', key: h.keys.viewer });
    expect(byJob.json().items.map((a: { kind: string }) => a.kind).sort()).toEqual(['failed', 'missed']);
    const byKind = await h.call({ method: 'GET', url: '/v1/alerts?kind=failed&status=open', key: h.keys.viewer });
    expect(byKind.json().items).toHaveLength(1);
    const range = await h.call({ method: 'GET', url: '/v1/alerts?from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z', key: h.keys.viewer });
    expect(range.json().items.map((a: { kind: string }) => a.kind).sort()).toEqual(['missed', 'timed_out']);

    const page1 = await h.call({ method: 'GET', url: '/v1/alerts?limit=3', key: h.keys.viewer });
    expect(page1.json().items).toHaveLength(3);
    const page2 = await h.call({ method: 'GET', url: `/v1/alerts?limit=3&cursor=${page1.json().nextCursor}`, key: h.keys.viewer });
    expect(page2.json().items).toHaveLength(1);
    expect(page2.json().nextCursor).toBeNull();

    const bySeverity = await h.call({ method: 'GET', url: '/v1/alerts?severity=critical&status=open', key: h.keys.viewer });
    expect(bySeverity.json().items).toHaveLength(3);
    expect((await h.call({ method: 'GET', url: '/v1/alerts?severity=warning', key: h.keys.viewer })).json().items).toEqual([]);
    expect((await h.call({ method: 'GET', url: '/v1/alerts?severity=loud', key: h.keys.viewer })).statusCode).toBe(400);
    const bad = await h.call({ method: 'GET', url: '/v1/alerts?kind=exploded', key: h.keys.viewer });
    expect(bad.statusCode).toBe(400);
  });

  it('needs a key', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/alerts' });
    expect(res.statusCode).toBe(401);
  });
});

describe('ack and resolve', () => {
  it('is for operators, moves open -> acknowledged -> resolved, audits and queues events', async () => {
    const id = ids['alerts-a/failed/open'];
    const asViewer = await h.call({ method: 'POST', url: `/v1/alerts/${id}/ack`, key: h.keys.viewer, body: {} });
    expect(asViewer.statusCode).toBe(403);

    const ack = await h.call({ method: 'POST', url: `/v1/alerts/${id}/ack`, key: h.keys.operator, body: { note: 'looking' } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ id, status: 'acknowledged', acknowledgedBy: expect.any(String), note: 'looking' });
    expect(ack.json().acknowledgedAt).not.toBeNull();
    const again = await h.call({ method: 'POST', url: `/v1/alerts/${id}/ack`, key: h.keys.operator, body: {} });
    expect(again.statusCode).toBe(409);

    const resolved = await h.call({ method: 'POST', url: `/v1/alerts/${id}/resolve`, key: h.keys.operator, body: { note: 'fixed upstream' } });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', note: 'fixed upstream', resolvedBy: ack.json().acknowledgedBy });
    expect((await h.call({ method: 'POST', url: `/v1/alerts/${id}/resolve`, key: h.keys.operator, body: {} })).statusCode).toBe(409);
    expect((await h.call({ method: 'POST', url: '/v1/alerts/999999/ack', key: h.keys.operator, body: {} })).statusCode).toBe(404);

    const audit = await h.call({ method: 'GET', url: '/v1/audit?job=alerts-a' });
    const entries = audit.json().items.map((e: { action: string; note: string | null }) => [e.action, e.note]);
    expect(entries).toEqual([
      ['alert.resolve', 'fixed upstream'],
      ['alert.acknowledge', 'looking'],
    ]);

    const em = h.orm.em.fork();
    const outbox = await em.find(OutboxMessage, { topic: 'timekeeper.alerts' }, { orderBy: { id: 'asc' } });
    expect(outbox.map((o) => o.payload.type)).toEqual(['alert.acknowledged', 'alert.resolved']);
    expect(outbox.every((o) => o.key === 'alerts-a' && (o.payload as { eventId: string }).eventId === o.eventId)).toBe(true);
    // Resolved frees the (job, slot, kind) slot for a new alert.
    expect((await em.findOneOrFail(Alert, { id })).openKey).toBeNull();
  });
});
