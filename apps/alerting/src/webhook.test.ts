import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import type { AlertingService } from './service';
import { createHarness, eventually, type Harness } from './testing/harness';
import { SIGNATURE_HEADER, signBody } from './webhook';
import { WEBHOOK_PSEUDO_JOB } from './webhook-alerts';

// The webhook sink against local receivers, through a real alerting service (MySQL, Redis, Kafka).
const SECRET = 'a-test-secret-of-some-length';
type Received = { headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; headers?: Record<string, string> };

let h: Harness;
const servers: Server[] = [];
let svc: AlertingService | null = null;

/** A receiver that records every request and answers what `answer` says. */
async function receiver(answer: (r: Received, n: number) => Answer): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = { headers: req.headers, body };
      got.push(r);
      const a = answer(r, got.length);
      res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const eventOf = (r: Received) => JSON.parse(r.body) as AlertEvent;
/** What a receiver got, leaving out the sink's own webhook_failed alerts (they are delivered too). */
const runAlerts = (got: Received[]) => got.filter((r) => eventOf(r).alert.kind !== 'webhook_failed');
let hour = 0;
const raise = async (jobKey: string) =>
  (await svc!.store.raise({ jobKey, slot: new Date(Date.UTC(2026, 0, 1, hour++)), kind: 'failed', reason: 'boom', observation: 'r', details: {} }))!;

/** An alerting service with the webhook on, once its sink has taken its place at the stream's end. */
async function startSink(url: string, extra: Record<string, string> = {}): Promise<void> {
  svc = h.startService({ ALERTING_WEBHOOK_URL: url, ALERTING_WEBHOOK_SECRET: SECRET, ALERTING_WEBHOOK_MAX_BACKOFF_MS: '200', ...extra });
  await eventually(() => svc!.active, 10_000);
  await eventually(() => h.redis.get(`${h.streamKey}:webhook-cursor`), 10_000);
}

const webhookAlerts = () => h.sql<Array<{ job_key: string; reason: string; count: number }>>("select job_key, reason, count from alerts where kind = 'webhook_failed' order by id");

beforeAll(async () => {
  h = await createHarness('webhook');
}, 60_000);
afterEach(async () => {
  await svc?.stop();
  svc = null;
});
afterAll(async () => {
  await h?.close();
  for (const s of servers) await new Promise((r) => s.close(r));
}, 60_000);

describe('webhook sink', () => {
  it('delivers every alert event in order, HMAC-signed, retrying through failures', async () => {
    const hook = await receiver((_r, n) => ({ status: n <= 2 ? 503 : 204 }));
    await startSink(hook.url);
    const raised: string[] = [];
    for (let i = 0; i < 3; i++) raised.push((await raise('hooked')).eventId);
    await eventually(() => hook.got.length >= 5, 20_000);
    const accepted = hook.got.slice(2);
    expect(accepted.map((r) => eventOf(r).eventId)).toEqual(raised);
    for (const r of accepted) {
      const ts = r.headers['x-timekeeper-timestamp'] as string;
      expect(r.headers[SIGNATURE_HEADER]).toBe(signBody(SECRET, ts, r.body));
      expect(r.headers['x-timekeeper-event-id']).toBe(eventOf(r).eventId);
    }
    expect(signBody('another-secret-entirely', accepted[0].headers['x-timekeeper-timestamp'] as string, accepted[0].body)).not.toBe(accepted[0].headers[SIGNATURE_HEADER]);
  }, 60_000);

  // Finding 9: one malformed entry crashed the process (an unhandled rejection) on every restart.
  it('skips an entry that is not an alert event with an error and an alert, and keeps delivering', async () => {
    const hook = await receiver(() => ({ status: 204 }));
    await startSink(hook.url);
    await h.redis.xadd(h.streamKey, '*', 'event', 'alert', 'data', '{not json');
    await h.redis.xadd(h.streamKey, '*', 'event', 'alert', 'data', '{"eventId":"x"}');
    await h.redis.xadd(h.streamKey, '*', 'event', 'alert');
    const good = await raise('after-bad-entries');
    await eventually(() => hook.got.some((r) => eventOf(r).eventId === good.eventId), 20_000);
    expect(runAlerts(hook.got)).toHaveLength(1);
    const alerts = await eventually(async () => ((await webhookAlerts()).find((a) => a.job_key === WEBHOOK_PSEUDO_JOB && a.count >= 3) ? webhookAlerts() : null), 10_000);
    expect(alerts.find((a) => a.job_key === WEBHOOK_PSEUDO_JOB)!.reason).toMatch(/skipped: data is not (JSON|an alert event)/);
    expect(svc!.active).toBe(true);
    // A restart resumes after the bad entries, not before them.
    await svc!.stop();
    await startSink(hook.url);
    const next = await raise('after-restart');
    await eventually(() => hook.got.some((r) => eventOf(r).eventId === next.eventId), 20_000);
    expect(runAlerts(hook.got).map((r) => eventOf(r).eventId)).toEqual([good.eventId, next.eventId]);
  }, 60_000);

  // Finding 9: fetch followed redirects, carrying the signed body to wherever the receiver pointed.
  it('never follows a redirect: the event is dead-lettered and nothing reaches the other host', async () => {
    const elsewhere = await receiver(() => ({ status: 204 }));
    const hook = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    await startSink(hook.url);
    const e = await raise('redirected');
    const dead = await eventually(async () => (await h.redis.xrange(`${h.streamKey}:webhook-dead`, '-', '+')).find(([, f]) => f.join(' ').includes(e.eventId)), 20_000);
    expect(dead[1].join(' ')).toContain('redirect (not followed)');
    expect(runAlerts(hook.got)).toHaveLength(1); // a redirect is final, not retried
    expect(elsewhere.got).toHaveLength(0);
  }, 60_000);

  // Finding 9: a delivery that always failed blocked every later alert.
  it('gives up on an event after the attempt cap, alerts, and delivers the ones after it', async () => {
    let doomed = '';
    const hook = await receiver((r) => ({ status: eventOf(r).eventId === doomed ? 500 : 204 }));
    await startSink(hook.url, { ALERTING_WEBHOOK_MAX_ATTEMPTS: '3' });
    const first = await raise('always-refused');
    doomed = first.eventId;
    const second = await raise('after-the-refused');
    await eventually(() => hook.got.some((r) => eventOf(r).eventId === second.eventId), 20_000);
    expect(hook.got.filter((r) => eventOf(r).eventId === first.eventId)).toHaveLength(3);
    const alerts = await eventually(async () => (await webhookAlerts()).find((a) => a.job_key === 'always-refused'), 10_000);
    expect(alerts.reason).toMatch(/did not accept this failed alert after 3 attempt\(s\): HTTP 500/);
  }, 60_000);
});
