import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '@timekeeper/contracts';
import { createHarness, eventually, type Harness } from './testing/harness';
import { SIGNATURE_HEADER, signBody } from './webhook';

// The webhook sink against a local receiver that fails its first two requests.
const SECRET = 'a-test-secret-of-some-length';
let h: Harness;
let server: Server;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let failuresLeft = 2;

beforeAll(async () => {
  h = await createHarness('webhook');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failuresLeft-- > 0) {
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
}, 60_000);
afterAll(async () => {
  await h?.close();
  await new Promise((r) => server.close(r));
}, 60_000);

describe('webhook sink', () => {
  it('delivers every alert event in order, HMAC-signed, retrying through failures', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const svc = h.startService({ ALERTING_WEBHOOK_URL: url, ALERTING_WEBHOOK_SECRET: SECRET, ALERTING_WEBHOOK_MAX_BACKOFF_MS: '500' });
    await eventually(() => svc.active, 10_000);
    await new Promise((r) => setTimeout(r, 500)); // the sink starts at the stream's end
    const raised: string[] = [];
    for (let i = 0; i < 3; i++) {
      const e = await svc.store.raise({ jobKey: 'hooked', slot: new Date(Date.UTC(2026, 0, 1, i)), kind: 'failed', reason: 'boom', observation: 'r', details: {} });
      raised.push(e!.eventId);
    }
    await eventually(() => received.length >= 3, 20_000);
    expect(received.map((r) => (JSON.parse(r.body) as AlertEvent).eventId)).toEqual(raised);
    for (const r of received) {
      const ts = r.headers['x-timekeeper-timestamp'] as string;
      expect(r.headers[SIGNATURE_HEADER]).toBe(signBody(SECRET, ts, r.body));
      expect(r.headers['x-timekeeper-event-id']).toBe((JSON.parse(r.body) as AlertEvent).eventId);
    }
    expect(signBody('another-secret-entirely', received[0].headers['x-timekeeper-timestamp'] as string, received[0].body)).not.toBe(received[0].headers[SIGNATURE_HEADER]);
  }, 60_000);
});
