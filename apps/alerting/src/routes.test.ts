import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryKeys, type AlertEvent } from '@timekeeper/contracts';
import { deliveryNameOf, getRoute, saveRoute, sealDestination, SecretBox, writeTestAlertEvent } from '@timekeeper/db';
import type { AlertingService } from './service';
import { createHarness, eventually, type Harness } from './testing/harness';
import { SIGNATURE_HEADER, signBody } from './webhook';

// Routing rules (issue 14 #4) through a real alerting service (MySQL, Redis, Kafka) and local HTTP
// receivers: each destination gets what its rule matches, in its own format, with its own dead letter.
const SECRET = 'finance-secret-of-some-length';
const SECRETS_KEY = randomBytes(32).toString('hex');
type Received = { headers: IncomingHttpHeaders; body: string };

let h: Harness;
let svc: AlertingService;
const servers: Server[] = [];

async function receiver(status = 200): Promise<{ url: string; got: Received[]; answer: (s: number) => void }> {
  const got: Received[] = [];
  let answer = status;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, answer: (s) => (answer = s) };
}

beforeAll(async () => {
  h = await createHarness('routes');
  svc = h.startService({ ALERTING_WEBHOOK_MAX_BACKOFF_MS: '200', ALERTING_WEBHOOK_MAX_ATTEMPTS: '2', DESTINATION_SECRETS_KEY: SECRETS_KEY });
  await eventually(() => svc.active, 10_000);
}, 60_000);
afterAll(async () => {
  await h?.close();
  servers.forEach((s) => s.close());
}, 60_000);

let hour = 0;
const raise = async (jobKey: string, kind: 'failed' | 'late_start') =>
  (await svc.store.raise({ jobKey, slot: new Date(Date.UTC(2026, 0, 1, hour++)), kind, reason: `${kind} <b>boom</b>`, observation: 'r', details: {} }))!;

/** Stream entry ids ("ms-seq") in order. */
const atOrPast = (pos: string | null | undefined, end: string): boolean => {
  if (!pos) return false;
  const [a, b] = pos.split('-').map(Number);
  const [c, d] = end.split('-').map(Number);
  return a > c || (a === c && b >= d);
};

/** Waits until the destination's sink has taken its place on the stream (a new rule starts at the end). */
async function ready(routeId: number): Promise<void> {
  await eventually(async () => (await svc.routes?.sink(routeId)?.position()) != null, 10_000);
}

describe('routing rules', () => {
  it('routes critical alerts of tag finance to one receiver and nothing else there; a Slack rule gets its payload; a failing destination dead-letters alone', async () => {
    await h.createJob('rt-ledger', { schedule: false });
    await h.createJob('rt-other', { schedule: false });
    await h.sql(`update job_definitions set tags = '["finance","nightly"]' where \`key\` = 'rt-ledger'`);
    await h.sql(`update job_definitions set tags = '["ops"]' where \`key\` = 'rt-other'`);
    const finance = await receiver();
    const slack = await receiver();
    const broken = await receiver(400);
    const em = h.orm.em.fork();
    const fin = await saveRoute(em, { name: 'finance critical', match: { severities: ['critical'], tags: ['finance'] }, destinations: [{ type: 'webhook', url: finance.url, secret: SECRET }] }, 'test');
    const ops = await saveRoute(em, { name: 'ops to slack', match: { jobs: ['rt-other'], kinds: ['failed', 'late_start'] }, destinations: [{ type: 'slack', url: slack.url }] }, 'test');
    const dead = await saveRoute(em, { name: 'broken', match: {}, destinations: [{ type: 'webhook', url: broken.url, secret: SECRET }] }, 'test');
    for (const id of [fin, ops, dead]) await ready(id);

    const wanted = await raise('rt-ledger', 'failed'); // critical, tag finance
    await raise('rt-ledger', 'late_start'); // warning: not for finance
    const other = await raise('rt-other', 'failed'); // critical, tag ops
    const last = await raise('rt-other', 'late_start');

    // Each sink has read past the last alert: what it did not get, it will not get.
    const streamEnd = async () => (await h.redis.xrevrange(h.streamKey, '+', '-', 'COUNT', 1))[0][0];
    await eventually(async () => (await h.stream()).some((e) => (e.data as AlertEvent).eventId === last.eventId), 10_000);
    const end = await streamEnd();
    for (const id of [fin, ops]) await eventually(async () => atOrPast(await svc.routes!.sink(id)!.position(), end), 15_000);

    expect(finance.got.map((r) => (JSON.parse(r.body) as AlertEvent).eventId)).toEqual([wanted.eventId]);
    const [req] = finance.got;
    expect(req.headers[SIGNATURE_HEADER]).toBe(signBody(SECRET, String(req.headers['x-timekeeper-timestamp']), req.body));

    expect(slack.got.map((r) => (JSON.parse(r.body) as { blocks: Array<{ elements?: Array<{ text: string }> }> }).blocks[1].elements![0].text)).toEqual([
      expect.stringContaining(other.eventId),
      expect.stringContaining(last.eventId),
    ]);
    const payload = JSON.parse(slack.got[0].body) as { text: string; blocks: Array<{ text?: { text: string } }> };
    expect(payload.text).toContain('[critical] failed raised: rt-other');
    expect(payload.blocks[0].text!.text).toContain('failed &lt;b&gt;boom&lt;/b&gt;'); // user text escaped
    expect(slack.got[0].headers[SIGNATURE_HEADER]).toBeUndefined();

    // The broken destination dead-letters each event after its attempts (a 400 is final at once) and raises
    // webhook_failed naming the rule; the other destinations were not held back.
    const deadKey = deliveryKeys(h.streamKey, deliveryNameOf(dead, (await getRoute(em, dead))!.destinations[0])).dead;
    await eventually(async () => (await h.redis.xlen(deadKey)) >= 4, 20_000);
    const failed = await eventually(async () => (await h.sql<Array<{ reason: string }>>("select reason from alerts where kind = 'webhook_failed' and job_key = 'rt-ledger'"))[0], 10_000);
    expect(failed.reason).toContain('rule "broken"');
  }, 60_000);

  it('a test-send reaches only the rule it is for', async () => {
    const a = await receiver();
    const b = await receiver();
    const em = h.orm.em.fork();
    const ra = await saveRoute(em, { name: 'test a', match: { kinds: ['missed'] }, destinations: [{ type: 'webhook', url: a.url, secret: SECRET }] }, 'test');
    // b matches a kind nothing in this suite raises: the first test's broken destination may still be raising
    // webhook_failed alerts, which a match-all rule would rightly get. Test events go by rule, not by match.
    const rb = await saveRoute(em, { name: 'test b', match: { kinds: ['schedule_missing'] }, destinations: [{ type: 'slack', url: b.url }] }, 'test');
    await ready(ra);
    await ready(rb);
    const event = await em.transactional((tx) => writeTestAlertEvent(tx, h.topics.alerts, ra, 'tester'));
    const got = await eventually(() => a.got[0], 10_000);
    expect(JSON.parse(got.body)).toMatchObject({ eventId: event.eventId, type: 'alert.test', routeId: ra, alert: { jobKey: '_test' } });
    // b read past it without sending.
    await eventually(async () => (await h.stream()).some((e) => (e.data as AlertEvent).eventId === event.eventId), 10_000);
    const end = (await h.redis.xrevrange(h.streamKey, '+', '-', 'COUNT', 1))[0][0];
    await eventually(async () => atOrPast(await svc.routes!.sink(rb)!.position(), end), 10_000);
    expect(b.got).toEqual([]);
  }, 30_000);

  it('delivers to a sealed destination signed with its secret, which MySQL does not hold; a requeued dead letter is sent again once', async () => {
    const hook = await receiver(400);
    const box = new SecretBox(SECRETS_KEY);
    const em = h.orm.em.fork();
    const id = await saveRoute(em, { name: 'sealed', match: { kinds: ['missed'] }, destinations: [sealDestination({ type: 'webhook', url: hook.url, secret: SECRET }, box)] }, 'test');
    // The column's text as MySQL holds it (not parsed by the driver).
    const [row] = await h.sql<Array<{ stored: string }>>('select cast(destinations as char) as stored from alert_routes where id = ?', [id]);
    expect(row.stored).toContain('"sealedSecret":"v1.');
    expect(row.stored).not.toContain(SECRET);
    await ready(id);

    // Refused for good (400): dead-lettered after one attempt.
    const event = await em.transactional((tx) => writeTestAlertEvent(tx, h.topics.alerts, id, 'tester'));
    const keys = deliveryKeys(h.streamKey, deliveryNameOf(id, (await getRoute(em, id))!.destinations[0]));
    const [letter] = await eventually(async () => {
      const entries = (await h.redis.xrange(keys.dead, '-', '+')) as Array<[string, string[]]>;
      return entries.length ? entries : undefined;
    }, 15_000);
    const [sent] = hook.got;
    expect(sent.headers[SIGNATURE_HEADER]).toBe(signBody(SECRET, String(sent.headers['x-timekeeper-timestamp']), sent.body));
    expect((JSON.parse(sent.body) as AlertEvent).eventId).toBe(event.eventId);

    // What the API's requeue does: the letter moves to the requeue stream; the loop sends it (whatever its
    // rule matches now), and deletes it from there once handled.
    hook.answer(200);
    const [deadId, fields] = letter;
    await h.redis.multi().xadd(keys.requeue, '*', ...fields, 'requeuedBy', 'tester').xdel(keys.dead, deadId).exec();
    await eventually(() => hook.got[1], 15_000);
    expect((JSON.parse(hook.got[1].body) as AlertEvent).eventId).toBe(event.eventId);
    expect(hook.got[1].headers[SIGNATURE_HEADER]).toBe(signBody(SECRET, String(hook.got[1].headers['x-timekeeper-timestamp']), hook.got[1].body));
    await eventually(async () => (await h.redis.xlen(keys.requeue)) === 0, 10_000);
    expect(await h.redis.xlen(keys.dead)).toBe(0);
    expect(hook.got).toHaveLength(2);
  }, 40_000);
});
