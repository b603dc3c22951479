import { Type } from '@sinclair/typebox';
import { AlertEvent, ErrorBody, LiveGap, RunLiveEvent } from '@timekeeper/contracts';
import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import { PeriodicTask } from '@timekeeper/runtime';
import { keyRef, type Principal } from '../services/api-keys';
import type { Services } from '../services';
import type { Revocation } from '../services/revocations';
import { StreamLeases } from '../services/stream-leases';
import { compareStreamIds, isStreamId, LiveHub, type LiveEntry } from '../services/live-stream';

export type EventsOptions = {
  services: Services;
  streamKey?: string;
  heartbeatMs?: number;
  /** A client with more than this many bytes unsent is dropped (it reconnects with Last-Event-ID). */
  maxBufferedBytes?: number;
};

/** For the OpenAPI document: what the `data` of each SSE event is (the stream itself is not serialized). */
const LiveEventsResponse = {
  description: 'Server-Sent Events: `alert` carries an AlertEvent, `run` a RunEvent or RunProgressEvent (by `type`), `gap` a LiveGap',
  content: { 'text/event-stream': { schema: Type.Union([AlertEvent, RunLiveEvent, LiveGap]) } },
};

const frame = (e: LiveEntry) => `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data.replace(/\n/g, '\ndata: ')}\n\n`;

type OpenStream = { principal: Principal; res: ServerResponse; end: (why: string) => void; lease: string | null };

/** A revocation ends the streams of that session, or of that key whichever way it was presented. */
const revokes = (r: Revocation, p: Principal) => (r.sessionId !== undefined && r.sessionId === p.sessionId) || (r.keyId !== undefined && r.keyId === p.keyId);

/**
 * GET /v1/events: Server-Sent Events carrying `alert` and `run` events. Each event's id is its Redis
 * stream entry id, so a client reconnecting with Last-Event-ID (header, or `lastEventId` query for
 * clients that cannot set headers) gets exactly what it missed, then the live tail. A heartbeat comment
 * every 15 s keeps proxies from closing idle connections.
 * Streams are capped per key across every API process (leases in Redis) and in this process, and in
 * total per process (429 beyond). A stream ends when its key is revoked or its
 * session ends: at once through the revocation bus, and at the latest within SSE_RECHECK_MS by a
 * re-check of every open stream's credential (covers a message lost while Redis was away, and expiry).
 */
export const eventRoutes: FastifyPluginAsync<EventsOptions> = async (app, opts) => {
  const { config, sessions, revocations, limits, instance } = opts.services;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  const hub = new LiveHub(config.REDIS_URL, opts.streamKey ?? config.LIVE_STREAM_KEY, (err) =>
    app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'live stream read failed; retrying'),
  );
  const open = new Set<OpenStream>();
  // A lease outlives three missed renewals (each re-check renews), so only a dead process's streams lapse.
  const leases = new StreamLeases(limits, { namespace: `tk:${instance}:sse:`, maxPerKey: config.SSE_MAX_PER_KEY, leaseMs: 3 * config.SSE_RECHECK_MS }, (err) =>
    app.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'stream leases (Redis) unavailable'),
  );
  const openFor = (ref: string) => [...open].filter((s) => keyRef(s.principal) === ref).length;

  const unsubscribe = revocations.subscribe((r) => {
    for (const s of open) if (revokes(r, s.principal)) s.end('credential revoked');
  });
  const recheck = new PeriodicTask(
    config.SSE_RECHECK_MS,
    async () => {
      if (open.size === 0) return;
      const streams = [...open];
      await leases.renew(streams.flatMap((s) => (s.lease ? [{ keyRef: keyRef(s.principal), lease: s.lease }] : [])));
      const valid = await sessions.stillValid(streams.map((s) => s.principal));
      for (const s of streams) if (!valid.has(s.principal)) s.end('credential no longer valid');
    },
    (err) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'SSE credential re-check failed'),
  );
  recheck.start();
  app.addHook('preClose', async () => {
    unsubscribe();
    await recheck.stop();
    for (const s of open) s.res.end();
    await hub.close();
  });

  app.get('/v1/events', {
    config: { minRole: 'viewer' },
    schema: {
      tags: ['events'],
      summary: 'Live alerts and run state changes (text/event-stream)',
      response: { 200: LiveEventsResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
    handler: async (req, reply) => {
      const q = req.query as { lastEventId?: string };
      const header = req.headers['last-event-id'];
      const resumeFrom = (typeof header === 'string' && header) || q.lastEventId || null;
      if (resumeFrom !== null && !isStreamId(resumeFrom)) {
        return reply.code(400).send({ error: 'invalid_request', message: 'Last-Event-ID is not an event id this API issued' });
      }
      const principal = req.principal;
      if (open.size >= config.SSE_MAX_TOTAL) {
        return reply.code(429).header('retry-after', '30').send({ error: 'rate_limited', message: `This API serves ${config.SSE_MAX_TOTAL} event streams at most; retry shortly.` });
      }
      if (openFor(keyRef(principal)) >= config.SSE_MAX_PER_KEY) {
        return reply
          .code(429)
          .header('retry-after', '30')
          .send({ error: 'rate_limited', message: `This key already has ${config.SSE_MAX_PER_KEY} event streams open; close one first.` });
      }
      // The same cap across every API process.
      const admission = await leases.acquire(keyRef(principal));
      if (!admission.admitted) {
        return reply
          .code(429)
          .header('retry-after', '30')
          .send({ error: 'rate_limited', message: `This key already has ${config.SSE_MAX_PER_KEY} event streams open; close one first.` });
      }
      const lease = admission.lease;
      if (req.raw.destroyed) {
        // Gone while we asked Redis: nothing to stream to.
        if (lease) await leases.release(keyRef(principal), lease);
        return reply;
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        // The security headers set for every response (a hijacked reply does not send them by itself).
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const stream: OpenStream = {
        principal,
        res,
        lease,
        end: (why) => {
          if (closed) return;
          req.log.info({ actor: principal.actor, why }, 'ending SSE stream');
          // Tells the console to sign in again instead of reconnecting.
          send(`event: revoked\ndata: ${JSON.stringify({ reason: why })}\n\n`);
          cleanup();
          res.end();
        },
      };
      open.add(stream);
      let closed = false;
      let lastSent = resumeFrom ?? '0-0';
      let replaying = resumeFrom !== null;
      const pending: LiveEntry[] = [];

      const cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(beat);
        unsubscribeHub();
        open.delete(stream);
        if (lease) void leases.release(keyRef(principal), lease);
      };
      const send = (chunk: string) => {
        if (closed) return;
        res.write(chunk);
        // A client that does not read is dropped rather than buffered without bound.
        if (res.writableLength > maxBuffered) {
          req.log.warn({ buffered: res.writableLength }, 'dropping slow SSE client');
          cleanup();
          res.destroy();
        }
      };
      const deliver = (e: LiveEntry) => {
        if (compareStreamIds(e.id, lastSent) <= 0) return;
        lastSent = e.id;
        send(frame(e));
      };

      const unsubscribeHub = hub.subscribe((e) => (replaying ? pending.push(e) : deliver(e)));
      const beat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      res.on('close', cleanup);
      send('retry: 2000\n\n');

      if (resumeFrom !== null) {
        try {
          const first = await hub.firstId();
          if (first && compareStreamIds(first, resumeFrom) > 0 && resumeFrom !== '0-0') {
            // Older than what the stream still holds: say so, so the client can refetch state.
            send(`event: gap\ndata: ${JSON.stringify({ oldestAvailable: first })}\n\n`);
          }
          for (;;) {
            const page = await hub.after(lastSent);
            if (page.length === 0 || closed) break;
            page.forEach(deliver);
          }
        } catch (err) {
          req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'SSE replay failed');
          cleanup();
          res.destroy();
          return;
        }
        replaying = false;
        pending.splice(0).forEach(deliver);
      }
    },
  });
};
