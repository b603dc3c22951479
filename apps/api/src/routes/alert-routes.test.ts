import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryKeys } from '@timekeeper/contracts';
import { deliveryNameOf, getRoute, openDestination, OutboxMessage, saveRoute } from '@timekeeper/db';
import { AlertRoutes, sealStoredSecrets } from '../services/alert-routes';
import { DeliveryState } from '../services/delivery-state';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// Routing rules through the API (issue 14 #4): validation naming the field, admin-only and audited
// changes, secrets never shown, test-send queued on the outbox for the rule's destinations.
let h: Harness;
let redis: Redis;
// A live stream of this suite's own: dead letters and cursors live beside it.
const STREAM = `tk:test:alert_routes:${randomUUID().slice(0, 8)}:live`;
const rule = { name: 'finance', match: { severities: ['critical'], tags: ['finance'] }, destinations: [{ type: 'webhook', url: 'https://hooks.example.com/tk', secret: 'a-secret-of-some-length' }, { type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' }] };

beforeAll(async () => {
  h = await startHarness('alert_routes', { LIVE_STREAM_KEY: STREAM });
  redis = new Redis(h.config.REDIS_URL, { maxRetriesPerRequest: 3 });
  // The rules only need the job stored (202: a busy Temporal took the schedule later).
  expect([201, 202]).toContain((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody('route-job') })).statusCode);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
});

/** The column's text as MySQL holds it (not parsed by the driver). */
const storedText = async (id: number) =>
  (await h.orm.em.fork().getConnection().execute<Array<{ stored: string }>>('select cast(destinations as char) as stored from alert_routes where id = ?', [id]))[0].stored;

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

  it('stores destination secrets sealed: the column holds neither the HMAC key nor the Slack URL, and they open with the key', async () => {
    const created = (await h.call({ method: 'POST', url: '/v1/alert-routes', body: { ...rule, name: 'sealed' } })).json();
    const text = await storedText(created.id);
    expect(text).not.toContain('a-secret-of-some-length');
    expect(text).not.toContain('T000/B000/XXXX');
    expect(text).toContain('"sealedSecret":"v1.');
    const stored = (await getRoute(h.orm.em.fork(), created.id))!;
    expect(stored.destinations.map((d) => openDestination(d, h.services.secrets))).toEqual(rule.destinations);
    // Another key does not open them (an altered or foreign value is an error, never a wrong secret).
    expect(() => openDestination(stored.destinations[0], null)).toThrow(/DESTINATION_SECRETS_KEY/);
  });

  it('an edit keeps a stored destination by index (its secret never sent again); keep is refused on a new rule or past the end', async () => {
    const created = (await h.call({ method: 'POST', url: '/v1/alert-routes', body: { ...rule, name: 'kept' } })).json();
    const before = (await getRoute(h.orm.em.fork(), created.id))!.destinations;
    const edited = await h.call({ method: 'PUT', url: `/v1/alert-routes/${created.id}`, body: { ...rule, name: 'kept', match: { kinds: ['failed'] }, destinations: [{ keep: 1 }, { keep: 0 }] } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().destinations.map((d: { type: string }) => d.type)).toEqual(['slack', 'webhook']);
    expect((await getRoute(h.orm.em.fork(), created.id))!.destinations).toEqual([before[1], before[0]]);

    const past = await h.call({ method: 'PUT', url: `/v1/alert-routes/${created.id}`, body: { ...rule, name: 'kept', destinations: [{ keep: 0 }, { keep: 2 }] } });
    expect(past.statusCode).toBe(400);
    expect(past.json().details).toEqual([{ field: 'destinations.1.keep', message: 'the rule has 2 destination(s), numbered from 0' }]);
    const fresh = await h.call({ method: 'POST', url: '/v1/alert-routes', body: { ...rule, name: 'fresh', destinations: [{ keep: 0 }] } });
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().details[0].field).toBe('destinations.0.keep');
    expect((await getRoute(h.orm.em.fork(), created.id))!.destinations).toEqual([before[1], before[0]]);
  });

  it('a kept destination keeps its position and dead letters wherever it moves; a removed one\'s state goes', async () => {
    const created = (await h.call({ method: 'POST', url: '/v1/alert-routes', body: { ...rule, name: 'moves' } })).json();
    const [webhook, slack] = (await getRoute(h.orm.em.fork(), created.id))!.destinations;
    const keysOf = (d: typeof webhook) => deliveryKeys(STREAM, deliveryNameOf(created.id, d));
    expect(await redis.exists(keysOf(webhook).cursor, keysOf(slack).cursor)).toBe(2);
    await redis.xadd(keysOf(slack).dead, '5000-0', 'entryId', '1-1', 'data', '{}', 'error', 'HTTP 500', 'attempts', '8');
    // The Slack destination moves to index 0 and the webhook goes.
    expect((await h.call({ method: 'PUT', url: `/v1/alert-routes/${created.id}`, body: { ...rule, name: 'moves', destinations: [{ keep: 1 }] } })).statusCode).toBe(200);
    const letters = (await h.call({ method: 'GET', url: `/v1/alert-routes/${created.id}/dead-letters?destination=0` })).json();
    expect(letters.items.map((l: { id: string; error: string }) => [l.id, l.error])).toEqual([['5000-0', 'HTTP 500']]);
    expect(await redis.exists(keysOf(webhook).cursor)).toBe(0);
    expect(await redis.exists(keysOf(slack).cursor)).toBe(1);
    // One destination twice is refused.
    const twice = await h.call({ method: 'PUT', url: `/v1/alert-routes/${created.id}`, body: { ...rule, name: 'moves', destinations: [{ keep: 0 }, { keep: 0 }] } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details[0].field).toBe('destinations');
  });

  it('without a secrets key a new destination is refused with a 503 naming the setting, and nothing is written', async () => {
    const keyless = new AlertRoutes(h.orm, h.config.KAFKA_TOPIC_ALERTS, null, new DeliveryState(h.orm, redis, STREAM), () => undefined);
    await expect(keyless.save({ ...rule, name: 'keyless' } as never, 'test')).rejects.toMatchObject({ statusCode: 503, code: 'secrets_key_missing' });
    expect((await h.call({ method: 'GET', url: '/v1/alert-routes' })).json().items.map((r: { name: string }) => r.name)).not.toContain('keyless');
  });

  it('seals rules stored in plain text before sealing (at API start), once', async () => {
    const em = h.orm.em.fork();
    const id = await saveRoute(em, { name: 'legacy', match: {}, destinations: rule.destinations as never }, 'test');
    expect(await storedText(id)).toContain('a-secret-of-some-length');
    expect(await sealStoredSecrets(h.orm, null)).toEqual({ plain: 1 });
    expect(await sealStoredSecrets(h.orm, h.services.secrets)).toEqual({ sealed: 1 });
    expect(await storedText(id)).not.toContain('a-secret-of-some-length');
    expect((await getRoute(h.orm.em.fork(), id))!.destinations.map((d) => openDestination(d, h.services.secrets))).toEqual(rule.destinations);
    expect(await sealStoredSecrets(h.orm, h.services.secrets)).toEqual({ sealed: 0 });
  });

  it('lists a rule\'s dead letters newest first and requeues them (operator, audited): all named or none', async () => {
    const created = (await h.call({ method: 'POST', url: '/v1/alert-routes', body: { ...rule, name: 'dead' } })).json();
    const stored = (await getRoute(h.orm.em.fork(), created.id))!;
    const keys = (i: number) => deliveryKeys(STREAM, deliveryNameOf(created.id, stored.destinations[i]));
    // A new rule's destinations start at the stream's end at once (a test-send right away reaches them).
    expect(await redis.get(keys(0).cursor)).toBeTruthy();
    expect(await redis.get(keys(1).cursor)).toBeTruthy();
    // Dead letters as the alerting service writes them.
    // Explicit ids: destinations 0 and 1 share the id 2000-0, as two streams written in one millisecond can.
    const letter = async (i: number, n: number, id: string) => {
      const data = JSON.stringify({ eventId: `00000000-0000-4000-8000-00000000000${n}`, type: 'alert.raised', alert: { id: n, jobKey: 'route-job', kind: 'failed', severity: 'critical', slot: '2026-01-01T00:00:00.000Z' } });
      return (await redis.xadd(keys(i).dead, id, 'entryId', `1-${n}`, 'data', data, 'error', 'HTTP 400', 'attempts', '1'))!;
    };
    const ids = [await letter(0, 1, '1000-0'), await letter(1, 2, '2000-0'), await letter(0, 3, '2000-0'), await letter(0, 4, '3000-0')];

    const all = await h.call({ method: 'GET', url: `/v1/alert-routes/${created.id}/dead-letters`, key: h.keys.viewer });
    expect(all.statusCode).toBe(200);
    const order = [['3000-0', 0], ['2000-0', 1], ['2000-0', 0], ['1000-0', 0]];
    expect(all.json().items.map((l: { id: string; destination: number }) => [l.id, l.destination])).toEqual(order);
    expect(all.json().items[0]).toMatchObject({ error: 'HTTP 400', attempts: 1, type: 'alert.raised', alert: { id: 4, jobKey: 'route-job', kind: 'failed' }, deadAt: '1970-01-01T00:00:03.000Z' });
    // Pages of one split the shared id and lose nothing.
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = (await h.call({ method: 'GET', url: `/v1/alert-routes/${created.id}/dead-letters?limit=1${cursor ? `&cursor=${cursor}` : ''}` })).json() as { items: Array<{ id: string; destination: number }>; nextCursor: string | null };
      paged.push(...page.items.map((l) => [l.id, l.destination]));
      cursor = page.nextCursor;
    } while (cursor && paged.length < 10);
    expect(paged).toEqual(order);
    const one = (await h.call({ method: 'GET', url: `/v1/alert-routes/${created.id}/dead-letters?destination=1` })).json();
    expect(one.items.map((l: { id: string }) => l.id)).toEqual(['2000-0']);

    const bad: Array<[string, string, unknown, number, string]> = [
      ['GET', `/v1/alert-routes/${created.id}/dead-letters?destination=2`, undefined, 400, 'destination'],
      ['GET', `/v1/alert-routes/${created.id}/dead-letters?cursor=nope`, undefined, 400, 'cursor'],
      ['GET', '/v1/alert-routes/999999/dead-letters', undefined, 404, ''],
      ['POST', `/v1/alert-routes/${created.id}/dead-letters/requeue`, { destination: 2 }, 400, 'destination'],
      ['POST', `/v1/alert-routes/${created.id}/dead-letters/requeue`, { destination: 0, ids: ['x'] }, 400, 'ids.0'],
      ['POST', `/v1/alert-routes/${created.id}/dead-letters/requeue`, { destination: 0, ids: [ids[0], '1-1'] }, 404, 'ids.1'],
      ['POST', `/v1/alert-routes/${created.id}/dead-letters/requeue`, { destination: 1, ids: ['1000-0'] }, 404, 'ids.0'], // destination 0's
      ['POST', '/v1/alert-routes/999999/dead-letters/requeue', { destination: 0 }, 404, ''],
    ];
    for (const [method, url, body, status, field] of bad) {
      const res = await h.call({ method, url, body });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(status);
      if (field) expect(res.json().details.map((d: { field: string }) => d.field), JSON.stringify(res.json())).toContain(field);
    }
    expect((await h.call({ method: 'POST', url: `/v1/alert-routes/${created.id}/dead-letters/requeue`, key: h.keys.viewer, body: { destination: 0 } })).statusCode).toBe(403);
    // Nothing moved by the refusals.
    expect(await redis.xlen(keys(0).dead)).toBe(3);
    expect(await redis.xlen(keys(0).requeue)).toBe(0);

    const requeued = await h.call({ method: 'POST', url: `/v1/alert-routes/${created.id}/dead-letters/requeue`, key: h.keys.operator, body: { destination: 0, ids: [ids[0]] } });
    expect(requeued.statusCode).toBe(202);
    expect(requeued.json()).toEqual({ requeued: 1, ids: [ids[0]] });
    const [[, fields]] = (await redis.xrange(keys(0).requeue, '-', '+')) as Array<[string, string[]]>;
    expect(fields).toEqual(expect.arrayContaining(['entryId', '1-1', 'error', 'HTTP 400', 'requeuedBy']));
    expect((await h.call({ method: 'POST', url: `/v1/alert-routes/${created.id}/dead-letters/requeue`, key: h.keys.operator, body: { destination: 0 } })).json()).toEqual({ requeued: 2, ids: ['2000-0', '3000-0'] });
    expect(await redis.xlen(keys(0).dead)).toBe(0);
    expect(await redis.xlen(keys(0).requeue)).toBe(3);
    expect(await redis.xlen(keys(1).dead)).toBe(1);
    const audits = (await h.call({ method: 'GET', url: '/v1/audit' })).json().items.filter((e: { action: string }) => e.action === 'alert_route.requeue');
    expect(audits.map((e: { after: { count: number; destination: number } }) => [e.after.destination, e.after.count])).toEqual([[0, 2], [0, 1]]);

    // Deleting the rule deletes its delivery state.
    expect((await h.call({ method: 'DELETE', url: `/v1/alert-routes/${created.id}` })).statusCode).toBe(204);
    expect(await redis.exists(keys(0).cursor, keys(0).requeue, keys(1).dead)).toBe(0);
  });
});
