import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@timekeeper/runtime';
import { ApiConfigSchema } from '../config';
import type { Services } from '../services';
import type { Principal } from '../services/api-keys';
import { RevocationBus } from '../services/revocations';
import type { Sessions } from '../services/sessions';
import { eventRoutes } from './events';

// The SSE route's limits on its own (no auth plugin): heartbeats, and a client that stops reading is
// dropped while the server and other clients carry on.
const streamKey = `tk:test:events-limits:${randomUUID()}`;
let app: FastifyInstance;
let redis: Redis;
let port: number;

const config = parseConfig(ApiConfigSchema);

const revocations = new RevocationBus(config.REDIS_URL, `tk:test:events-limits:${randomUUID()}:revocations`);
const limits = new Redis(config.REDIS_URL);

beforeAll(async () => {
  redis = new Redis(config.REDIS_URL);
  app = Fastify();
  // No auth plugin here: every request is one viewer key, whose credential stays valid.
  const principal: Principal = { actor: 'key:test', role: 'viewer', keyId: 1, sessionId: null };
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req) => {
    req.principal = principal;
  });
  const sessions = { stillValid: async (ps: Principal[]) => new Set(ps) } as unknown as Sessions;
  const services = { config, sessions, revocations, limits, instance: `events-limits-${randomUUID()}` } as unknown as Services;
  await app.register(eventRoutes, { services, streamKey, heartbeatMs: 100, maxBufferedBytes: 64 * 1024 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await redis?.del(streamKey);
  await redis?.quit();
  await revocations.close();
  limits.disconnect();
});

function rawClient(): { socket: Socket; text: () => string } {
  let text = '';
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET /v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
  socket.on('data', (d: Buffer) => (text += d.toString()));
  return { socket, text: () => text };
}

describe('SSE limits', () => {
  it('sends a heartbeat comment on its interval', async () => {
    const c = rawClient();
    await new Promise((r) => setTimeout(r, 450));
    expect(c.text().match(/: heartbeat/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    c.socket.destroy();
  });

  it('drops a client that does not read, and keeps serving the others', async () => {
    const slow = rawClient();
    const fast = rawClient();
    await new Promise((r) => setTimeout(r, 200));
    slow.socket.pause(); // stops reading: the kernel buffers fill, then the server's
    const big = 'x'.repeat(16 * 1024);
    // A steady flow (a reading client keeps up with it) that the paused one cannot absorb.
    for (let batch = 0; batch < 300; batch++) {
      const pipe = redis.pipeline();
      for (let i = 0; i < 2; i++) pipe.xadd(streamKey, '*', 'event', 'alert', 'data', big);
      await pipe.exec();
      await new Promise((r) => setTimeout(r, 5));
    }
    // The server closes its side (a paused client socket would not notice until it reads again).
    const connections = () => new Promise<number>((r) => app.server.getConnections((_e, n) => r(n)));
    const deadline = Date.now() + 15_000;
    while ((await connections()) > 1) {
      if (Date.now() > deadline) throw new Error('slow client was not dropped');
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = await redis.xadd(streamKey, '*', 'event', 'alert', 'data', 'after-the-drop');
    const end = Date.now() + 10_000;
    while (!fast.text().includes(`id: ${id}`)) {
      if (Date.now() > end) throw new Error('fast client did not get the last event');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fast.text()).toContain('after-the-drop');
    fast.socket.destroy();
  }, 30_000);
});
