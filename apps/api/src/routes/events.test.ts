import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_STREAM_KEY } from '@timekeeper/contracts';
import { startHarness, type Harness } from '../testing/harness';

// The SSE endpoint on a listening API, fed by writing to the live Redis stream directly (the alerting
// service is what writes there in production).
let h: Harness;
let redis: Redis;
let base: string;
const marker = randomUUID();

beforeAll(async () => {
  h = await startHarness('events_api');
  redis = new Redis(h.config.REDIS_URL);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await redis?.quit();
  await h?.close();
});

type SseEvent = { id?: string; event?: string; data: string };

/** An SSE client that collects events until closed. */
function connect(headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let res: IncomingMessage | undefined;
  const ready = new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${base}/v1/events`, { headers: { authorization: `Bearer ${h.keys.viewer}`, ...headers } }, (r) => {
      res = r;
      let buf = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const e: SseEvent = { data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              e.data += line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) events.push(e);
        }
      });
      resolve(r);
    });
    req.on('error', reject);
    req.end();
  });
  return { ready, events, comments, close: () => res?.destroy() };
}

const add = async (event: string, n: number): Promise<string> => (await redis.xadd(DEFAULT_LIVE_STREAM_KEY, 'MAXLEN', '~', '10000', '*', 'event', event, 'data', JSON.stringify({ marker, n }), 'outboxId', '0'))!;
const mine = (events: SseEvent[]) => events.filter((e) => e.data.includes(marker));
const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('GET /v1/events', () => {
  it('needs a key', async () => {
    const res = await fetch(`${base}/v1/events`);
    expect(res.status).toBe(401);
  });

  it('streams alert and run events with their stream ids, and resumes from Last-Event-ID without gaps or repeats', async () => {
    const first = connect();
    const r = await first.ready;
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/event-stream');
    await new Promise((res) => setTimeout(res, 300)); // the hub's tail is running
    const ids = [await add('alert', 1), await add('run', 2), await add('alert', 3)];
    await until(() => mine(first.events).length === 3);
    expect(mine(first.events).map((e) => [e.id, e.event, JSON.parse(e.data).n])).toEqual([
      [ids[0], 'alert', 1],
      [ids[1], 'run', 2],
      [ids[2], 'alert', 3],
    ]);
    first.close();

    // Missed while disconnected:
    const missed = [await add('alert', 4), await add('run', 5)];
    const second = connect({ 'last-event-id': ids[2] });
    await second.ready;
    await until(() => mine(second.events).length >= 2);
    const live = await add('alert', 6);
    await until(() => mine(second.events).length >= 3);
    await new Promise((res) => setTimeout(res, 300));
    expect(mine(second.events).map((e) => e.id)).toEqual([...missed, live]);
    second.close();
  }, 30_000);

  it('rejects a Last-Event-ID it did not issue', async () => {
    const res = await fetch(`${base}/v1/events`, { headers: { authorization: `Bearer ${h.keys.viewer}`, 'last-event-id': 'bogus' } });
    expect(res.status).toBe(400);
  });
});
