import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessage } from '@timekeeper/db';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Routing rules through the API (issue 14 #4): validation naming the field, admin-only and audited
// changes, secrets never shown, test-send queued on the outbox for the rule's destinations.
let h: Harness;
const rule = { name: 'finance', match: { severities: ['critical'], tags: ['finance'] }, destinations: [{ type: 'webhook', url: 'https://hooks.example.com/tk', secret: 'a-secret-of-some-length' }, { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' }] };

beforeAll(async () => {
  h = await startHarness('alert_routes');
  expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody('route-job') })).statusCode).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

describe('routing rules API', () => {
  it('refuses bad rules with a 400 naming the field, writing nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...rule, name: '' }, 'name'],
      [{ ...rule, match: { kinds: ['exploded'] } }, 'match.kinds.0'],
      [{ ...rule, match: { severities: ['loud'] } }, 'match.severities.0'],
      [{ ...rule, match: { jobs: ['no-such-job'] } }, 'match.jobs.0'],
      [{ ...rule, destinations: [] }, 'destinations'],
      [{ ...rule, destinations: [{ type: 'webhook', url: 'ftp://x', secret: 'a-secret-of-some-length' }] }, 'destinations.0'],
      [{ ...rule, destinations: [{ type: 'webhook', url: 'https://x.example.com' }] }, 'destinations.0'],
      [{ ...rule, destinations: [{ type: 'pager', url: 'https://x.example.com' }] }, 'destinations.0'],
      [{ ...rule, extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call({ method: 'POST', url: '/v1/alert-routes', body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field).some((f: string) => f.startsWith(field)), JSON.stringify(res.json())).toBe(true);
    }
    expect((await h.call({ method: 'GET', url: '/v1/alert-routes' })).json().items).toEqual([]);
  });

  it('admin creates, edits and deletes rules (audited, secrets never shown); operators test-send them', async () => {
    expect((await h.call({ method: 'POST', url: '/v1/alert-routes', key: h.keys.operator, body: rule })).statusCode).toBe(403);
    const created = await h.call({ method: 'POST', url: '/v1/alert-routes', body: rule });
    expect(created.statusCode).toBe(201);
    const r = created.json();
    expect(r.destinations).toEqual([
      { type: 'webhook', url: 'https://hooks.example.com/tk', signed: true },
      { type: 'slack', url: 'https://hooks.slack.com/…', signed: false },
    ]);
    expect(JSON.stringify(r)).not.toContain('a-secret-of-some-length');
    expect(JSON.stringify((await h.call({ method: 'GET', url: '/v1/audit' })).json())).not.toContain('a-secret-of-some-length');
    expect((await h.call({ method: 'POST', url: '/v1/alert-routes', body: rule })).statusCode).toBe(409);

    const edited = await h.call({ method: 'PUT', url: `/v1/alert-routes/${r.id}`, body: { ...rule, match: { jobs: ['route-job'] } } });
    expect(edited.json().match).toEqual({ jobs: ['route-job'] });

    const test = await h.call({ method: 'POST', url: `/v1/alert-routes/${r.id}/test`, key: h.keys.operator });
    expect(test.statusCode).toBe(202);
    const row = await h.orm.em.fork().findOneOrFail(OutboxMessage, { eventId: test.json().eventId });
    expect(row.payload).toMatchObject({ type: 'alert.test', routeId: r.id, alert: { jobKey: '_test' } });

    expect((await h.call({ method: 'DELETE', url: `/v1/alert-routes/${r.id}` })).statusCode).toBe(204);
    expect((await h.call({ method: 'POST', url: `/v1/alert-routes/${r.id}/test`, key: h.keys.operator })).statusCode).toBe(404);
    const actions = (await h.call({ method: 'GET', url: '/v1/audit' })).json().items.map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('alert_route.'));
    expect(actions.reverse()).toEqual(['alert_route.create', 'alert_route.update', 'alert_route.test', 'alert_route.delete']);
  });
});
