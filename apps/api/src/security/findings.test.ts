import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '@timekeeper/contracts';
import { ApiKey, JobDefinition } from '@timekeeper/db';
import { createLogger } from '@timekeeper/runtime';
import { PREVIEW_ID_PREFIX, sweepStalePreviews } from '@timekeeper/scheduling';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { previewSweeper } from '../services/preview-sweeper';
import { StreamLeases } from '../services/stream-leases';
import { SYNC_FAILURE } from '../services/sync-failure';
import { jobBody, startHarness, type Harness } from '../testing/harness';
import { consoleHeaders, freshKey, openStream, until, type Stream } from './support';

// Issue 11, the API side of each numbered finding, against a real API (MariaDB, Redis, Temporal).
// Every test here failed on the code before the fix (commit 99d6a68).
let h: Harness;
let base: string;
const streams: Stream[] = [];
const extraApps: FastifyInstance[] = [];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const session = (sid: string) => ({ authorization: `Session ${sid}` });
const wrongKey = (prefix = '0123456789ab') => `tk_${prefix}_${'w'.repeat(43)}`;

beforeAll(async () => {
  h = await startHarness('security_api', {
    // Its own Redis namespace per run: rate-limit windows of an earlier run must not carry over.
    TIMEKEEPER_INSTANCE: `sec-api-${randomUUID().slice(0, 8)}`,
    RATE_LIMIT_MUTATIONS_PER_MIN: '30',
    RATE_LIMIT_EXPENSIVE_PER_MIN: '5',
    AUTH_MAX_FAILURES: '20',
    SSE_MAX_PER_KEY: '3',
    SSE_MAX_TOTAL: '6',
    SSE_RECHECK_MS: '500',
    // Temporal is shared with other suites; a slow answer here is not what these tests are about.
    TEMPORAL_CALL_TIMEOUT_MS: '10000',
  });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  for (const s of streams) s.close();
  for (const a of extraApps) await a.close();
  await h?.close();
});

const connections = (app: FastifyInstance) => new Promise<number>((r) => app.server.getConnections((_e, n) => r(n)));

const stream = async (headers: Record<string, string>, at = base) => {
  const s = await openStream(at, headers);
  streams.push(s);
  return s;
};

describe('1. a stranger cannot lock anyone out', () => {
  it('a valid key is served however many failures came from the same address', async () => {
    const { key } = await freshKey(h, 'viewer');
    let last = { statusCode: 0, headers: {} as Record<string, unknown>, json: () => ({}) as Record<string, unknown> };
    for (let i = 0; i < 25; i++) last = await h.app.inject({ url: '/v1/me', headers: bearer(wrongKey()), remoteAddress: '10.1.0.1' });
    const valid = await h.app.inject({ url: '/v1/me', headers: bearer(key), remoteAddress: '10.1.0.1' });
    expect(valid.statusCode).toBe(200);
    // The failures themselves are throttled.
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('failures are counted per address and key prefix', async () => {
    for (let i = 0; i < 21; i++) await h.app.inject({ url: '/v1/me', headers: bearer(wrongKey('aaaaaaaaaaaa')), remoteAddress: '10.1.0.2' });
    expect((await h.app.inject({ url: '/v1/me', headers: bearer(wrongKey('aaaaaaaaaaaa')), remoteAddress: '10.1.0.2' })).statusCode).toBe(429);
    // Another prefix from that address, or that prefix from another address: a plain 401.
    expect((await h.app.inject({ url: '/v1/me', headers: bearer(wrongKey('bbbbbbbbbbbb')), remoteAddress: '10.1.0.2' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/v1/me', headers: bearer(wrongKey('aaaaaaaaaaaa')), remoteAddress: '10.1.0.3' })).statusCode).toBe(401);
  });

  it('failures are counted across API processes (in Redis), so replicas do not multiply the limit', async () => {
    const other = await buildApp({ config: h.config, logger: createLogger('sec-other-auth', 'silent'), orm: h.orm, temporal: h.temporal });
    extraApps.push(other);
    const fail = (app: FastifyInstance) => app.inject({ url: '/v1/me', headers: bearer(wrongKey('dddddddddddd')), remoteAddress: '10.1.0.9' });
    // 20 failures, half on each process: the limit is reached, not yet passed.
    for (let i = 0; i < 10; i++) {
      expect((await fail(h.app)).statusCode).toBe(401);
      expect((await fail(other)).statusCode).toBe(401);
    }
    expect((await fail(other)).statusCode).toBe(429);
    expect((await fail(h.app)).statusCode).toBe(429);
  });

  it('the browser address is believed only from the console (its secret)', async () => {
    const fail = (headers: Record<string, string>) =>
      h.app.inject({ url: '/v1/me', headers: { ...bearer(wrongKey('cccccccccccc')), ...headers }, remoteAddress: '10.1.0.4' });
    // Not the console: the named address is ignored, so all these failures share the peer's bucket.
    for (let i = 0; i < 21; i++) await fail({ 'x-timekeeper-client-address': `192.0.2.${i}` });
    expect((await fail({ 'x-timekeeper-client-address': '192.0.2.200' })).statusCode).toBe(429);
    // The console: each browser address is a bucket of its own.
    for (let i = 0; i < 21; i++) await fail(consoleHeaders(h, '198.51.100.1'));
    expect((await fail(consoleHeaders(h, '198.51.100.1'))).statusCode).toBe(429);
    expect((await fail(consoleHeaders(h, '198.51.100.2'))).statusCode).toBe(401);
  });
});

describe('3. limits on authenticated routes; preview needs a role and leaves nothing behind', { timeout: 30_000 }, () => {
  it('mutations are limited per key: 429 with Retry-After and a JSON body; other keys go on', async () => {
    const busy = await freshKey(h, 'operator');
    const calm = await freshKey(h, 'operator');
    const pause = (key: string) => h.call({ method: 'POST', url: '/v1/jobs/no-such-job/pause', body: {}, key });
    for (let i = 0; i < 30; i++) expect((await pause(busy.key)).statusCode).toBe(404);
    const limited = await pause(busy.key);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('30 a minute') });
    expect((await pause(calm.key)).statusCode).toBe(404);
    // Reads are not limited.
    expect((await h.call({ method: 'GET', url: '/v1/jobs', key: busy.key })).statusCode).toBe(200);
  });

  it('preview needs the operator role and is limited as an expensive route', async () => {
    const viewer = await freshKey(h, 'viewer');
    const operator = await freshKey(h, 'operator');
    const body = { cron: '0 3 * * *', timezone: 'UTC', count: 2, from: '2026-01-01T00:00:00Z' };
    expect((await h.call({ method: 'POST', url: '/v1/schedules/preview', body, key: viewer.key })).statusCode).toBe(403);
    for (let i = 0; i < 5; i++) expect((await h.call({ method: 'POST', url: '/v1/schedules/preview', body, key: operator.key })).statusCode).toBe(200);
    const limited = await h.call({ method: 'POST', url: '/v1/schedules/preview', body, key: operator.key });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it("several jobs' next runs in one request draw once on the expensive budget", async () => {
    const viewer = await freshKey(h, 'viewer');
    const jobs = ['budget-a', 'budget-b', 'budget-c'];
    for (const key of jobs) expect([201, 202]).toContain((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key) })).statusCode);
    const url = `/v1/next-runs?count=2&${jobs.map((k) => `key=${k}`).join('&')}`;
    for (let i = 0; i < 5; i++) {
      const res = await h.call({ method: 'GET', url, key: viewer.key });
      expect(res.statusCode).toBe(200);
      expect(res.json().jobs.map((j: { key: string }) => j.key)).toEqual(jobs);
    }
    expect((await h.call({ method: 'GET', url, key: viewer.key })).statusCode).toBe(429);
    for (const key of jobs) await h.call({ method: 'DELETE', url: `/v1/jobs/${key}` });
  });

  /** A preview schedule as a request makes one, left behind as if the API crashed mid-request. */
  async function leaveBehindPreview(): Promise<string> {
    const id = `${PREVIEW_ID_PREFIX}${randomUUID()}`;
    await h.temporal.schedule.create({
      scheduleId: id,
      spec: { cronExpressions: ['0 3 * * *'] },
      action: { type: 'startWorkflow', workflowType: RUN_WORKFLOW_TYPE, taskQueue: h.config.TEMPORAL_TASK_QUEUE, args: [] },
      state: { paused: true },
      memo: { instance: h.services.instance },
    });
    return id;
  }

  it('a preview schedule left behind (a crash mid-request) is swept', async () => {
    const id = await leaveBehindPreview();
    // The sweep works from the schedule list, which shows a new schedule (and then its memo, the owner
    // the sweep goes by) after a moment.
    await until('the leftover to be listed with its owner', async () => {
      for await (const s of h.temporal.schedule.list()) if (s.scheduleId === id && s.memo?.instance === h.services.instance) return true;
      return false;
    });
    const deleted = await sweepStalePreviews(h.temporal, { instance: h.services.instance, maxAgeMs: 0, unownedMaxAgeMs: Number.POSITIVE_INFINITY });
    expect(deleted).toContain(id);
    await expect(h.temporal.schedule.getHandle(id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('the API process runs the sweep on its timer and says what it deleted', async () => {
    const id = await leaveBehindPreview();
    const warned: unknown[] = [];
    const logger = { warn: (o: unknown) => void warned.push(o) } as unknown as Parameters<typeof previewSweeper>[2];
    // As server.ts starts it, with ages of zero so the new leftover counts as stale.
    const sweeper = previewSweeper(h.temporal, h.services.instance, logger, 100, { maxAgeMs: 0, unownedMaxAgeMs: Number.POSITIVE_INFINITY });
    sweeper.start();
    try {
      await until('the timer to delete the leftover', async () => warned.some((w) => (w as { deleted?: string[] }).deleted?.includes(id)));
      await expect(h.temporal.schedule.getHandle(id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    } finally {
      await sweeper.stop();
    }
  });
});

describe('4. event streams end when their key is revoked, and are capped', { timeout: 30_000 }, () => {
  // Each test starts with no stream open (a failed one must not use up the next one's places).
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await until('the API to see every stream closed', async () => (await connections(h.app)) === 0);
  });

  it('revoking a key ends its open stream at once, on every API process', async () => {
    // A second API process on the same database and Redis, whose periodic re-check is far off: only the
    // revocation message can end its stream.
    const other = await buildApp({ config: { ...h.config, SSE_RECHECK_MS: 600_000 }, logger: createLogger('sec-other', 'silent'), orm: h.orm, temporal: h.temporal });
    extraApps.push(other);
    await other.listen({ host: '127.0.0.1', port: 0 });
    const otherBase = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    const doomed = await freshKey(h, 'viewer');
    const kept = await freshKey(h, 'viewer');
    const s = await stream(bearer(doomed.key), otherBase);
    const bystander = await stream(bearer(kept.key), otherBase);
    expect(s.status).toBe(200);
    await until('the stream to start', () => s.text().includes('retry:'));
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${doomed.id}` })).statusCode).toBe(200);
    await until('the revoked stream to end', () => s.closed(), 5_000);
    expect(s.text()).toContain('event: revoked');
    expect(bystander.closed()).toBe(false);
    expect((await openStream(otherBase, bearer(doomed.key))).status).toBe(401);
  });

  it('a key revoked behind the API’s back is caught by the periodic re-check', async () => {
    const doomed = await freshKey(h, 'viewer');
    const s = await stream(bearer(doomed.key));
    await until('the stream to start', () => s.text().includes('retry:'));
    await h.orm.em.fork().nativeUpdate(ApiKey, { id: doomed.id }, { revokedAt: new Date() });
    await until('the re-check to end the stream', () => s.closed(), 5_000);
  });

  it('the per-key cap holds across API processes, and a closed stream frees its place', async () => {
    const other = await buildApp({ config: h.config, logger: createLogger('sec-other-sse', 'silent'), orm: h.orm, temporal: h.temporal });
    extraApps.push(other);
    await other.listen({ host: '127.0.0.1', port: 0 });
    const otherBase = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    const spread = await freshKey(h, 'viewer');
    const here = [await stream(bearer(spread.key)), await stream(bearer(spread.key))];
    const there = await stream(bearer(spread.key), otherBase);
    expect([...here, there].map((s) => s.status)).toEqual([200, 200, 200]);
    // Two here and one there: the key is at its cap of 3 on either process.
    const refused = await stream(bearer(spread.key), otherBase);
    expect(refused.status).toBe(429);
    expect((await stream(bearer(spread.key))).status).toBe(429);
    here[0].close();
    await until(
      'the closed stream’s place to be free on the other process',
      async () => {
        const s = await stream(bearer(spread.key), otherBase);
        if (s.status !== 200) s.close();
        return s.status === 200;
      },
      5_000,
    );
    for (const s of streams) s.close();
    await until('both APIs to see every stream closed', async () => (await connections(h.app)) === 0 && (await connections(other)) === 0);
  });

  it('the leases of a process that died run out: its streams stop counting', async () => {
    const ghost = await freshKey(h, 'viewer');
    // A process that took the key's three places and died: it never renews nor releases them.
    const dead = new StreamLeases(h.services.limits, { namespace: `tk:${h.services.instance}:sse:`, maxPerKey: 3, leaseMs: 3 * h.config.SSE_RECHECK_MS });
    for (let i = 0; i < 3; i++) expect(await dead.acquire(`key-${ghost.id}`)).toMatchObject({ admitted: true });
    expect((await stream(bearer(ghost.key))).status).toBe(429);
    await until(
      'the dead process’s leases to run out',
      async () => {
        const s = await stream(bearer(ghost.key));
        if (s.status !== 200) s.close();
        return s.status === 200;
      },
      10_000,
    );
    for (const s of streams) s.close();
    await until('the API to see every stream closed', async () => (await connections(h.app)) === 0);
  });

  it('streams are capped per key and in total (429 with Retry-After)', async () => {
    const greedy = await freshKey(h, 'viewer');
    const opened: Stream[] = [];
    for (let i = 0; i < 3; i++) opened.push(await stream(bearer(greedy.key)));
    expect(opened.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await stream(bearer(greedy.key));
    expect(fourth.status).toBe(429);
    expect(fourth.headers['retry-after']).toBeDefined();
    await until('the refusal body', () => fourth.closed());
    expect(JSON.parse(fourth.text())).toMatchObject({ error: 'rate_limited' });
    // Three more keys: the sixth stream is the process's last.
    const others = [await freshKey(h, 'viewer'), await freshKey(h, 'viewer'), await freshKey(h, 'viewer')];
    const statuses = [];
    for (const k of others) statuses.push((await stream(bearer(k.key))).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect((await stream(bearer(h.keys.admin))).status).toBe(429);
    for (const s of streams) s.close();
    await until('the API to see every stream closed', async () => (await connections(h.app)) === 0);
  });
});

describe('5. console sessions: a random id standing for the key, never the key', { timeout: 30_000 }, () => {
  it('the console trades a key for a session, stored hashed; only the console may use it', async () => {
    const { key, id } = await freshKey(h, 'operator', 'session-user');
    expect((await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: bearer(key) })).statusCode).toBe(403);
    const created = await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...bearer(key), ...consoleHeaders(h) } });
    expect(created.statusCode).toBe(201);
    const { session: sid, actor, role } = created.json();
    expect(sid).toMatch(/^tks_[A-Za-z0-9_-]{43}$/);
    expect({ actor, role }).toEqual({ actor: 'key:session-user', role: 'operator' });
    const rows = await h.orm.em.getConnection().execute('select id_hash, key_id from console_sessions where key_id = ?', [id]);
    expect(rows).toEqual([{ id_hash: sha256(sid), key_id: id }]);
    expect(JSON.stringify(rows)).not.toContain(sid);

    const me = await h.app.inject({ url: '/v1/me', headers: { ...session(sid), ...consoleHeaders(h) } });
    expect(me.json()).toEqual({ actor: 'key:session-user', role: 'operator' });
    // Outside the console a session is worth nothing; and a session cannot open another session.
    expect((await h.app.inject({ url: '/v1/me', headers: session(sid) })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...session(sid), ...consoleHeaders(h) } })).statusCode).toBe(401);
  });

  it('revoking the key ends its sessions at once; logout ends one; an admin can list and end them', async () => {
    const open = async (key: string) =>
      (await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...bearer(key), ...consoleHeaders(h) } })).json().session as string;
    const me = (sid: string) => h.app.inject({ url: '/v1/me', headers: { ...session(sid), ...consoleHeaders(h) } });
    const doomed = await freshKey(h, 'viewer');
    const [a, b] = [await open(doomed.key), await open(doomed.key)];
    await h.call({ method: 'DELETE', url: `/v1/keys/${doomed.id}` });
    for (const sid of [a, b]) {
      const res = await me(sid);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('session_expired');
    }
    expect(await h.orm.em.getConnection().execute('select id from console_sessions where key_id = ?', [doomed.id])).toEqual([]);

    const user = await freshKey(h, 'viewer', 'logout-user');
    const sid = await open(user.key);
    const out = await h.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { ...session(sid), ...consoleHeaders(h) } });
    expect(out.statusCode).toBe(204);
    expect((await me(sid)).statusCode).toBe(401);

    const listed = await open(user.key);
    const list = (await h.call({ method: 'GET', url: '/v1/sessions' })).json().items as Array<{ id: number; actor: string }>;
    const mine = list.filter((s) => s.actor === 'key:logout-user');
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(listed);
    expect((await h.call({ method: 'DELETE', url: `/v1/sessions/${mine[0].id}` })).statusCode).toBe(204);
    expect((await me(listed)).statusCode).toBe(401);
    expect((await h.call({ method: 'GET', url: '/v1/sessions', key: user.key })).statusCode).toBe(403);
  });

  it('a session ends after its idle timeout and at its absolute expiry', async () => {
    const user = await freshKey(h, 'viewer');
    const principal = { actor: 'key:x', role: 'viewer' as const, keyId: user.id, sessionId: null };
    const idle = await h.services.sessions.create(principal);
    const later = (ms: number) => new Date(Date.now() + ms);
    expect(await h.services.sessions.resolve(idle.session, later(h.config.SESSION_IDLE_MS - 60_000))).not.toBeNull();
    // Seen a moment ago (the call above), so idle counts from then.
    expect(await h.services.sessions.resolve(idle.session, later(h.config.SESSION_IDLE_MS * 2 + 1_000))).toBeNull();
    const old = await h.services.sessions.create(principal);
    expect(await h.services.sessions.resolve(old.session, later(h.config.SESSION_TTL_MS + 1_000))).toBeNull();
    // Both rows are gone, not just refused.
    expect(await h.orm.em.getConnection().execute('select id from console_sessions where key_id = ?', [user.id])).toEqual([]);
  });

  it('logging out ends the session’s open event stream', async () => {
    const user = await freshKey(h, 'viewer');
    const sid = (await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...bearer(user.key), ...consoleHeaders(h) } })).json().session as string;
    const s = await stream({ ...session(sid), ...consoleHeaders(h) });
    expect(s.status).toBe(200);
    await until('the stream to start', () => s.text().includes('retry:'));
    await h.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { ...session(sid), ...consoleHeaders(h) } });
    await until('the stream to end', () => s.closed(), 5_000);
  });
});

describe('6. security headers on every API response', () => {
  it.each([
    ['/v1/jobs', 200],
    ['/v1/nope', 404],
    ['/healthz', 200],
    ['/docs/json', 200],
  ])('%s', async (url, status) => {
    const res = await h.app.inject({ url, headers: bearer(h.keys.viewer) });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('on a 401 and on the event stream too', async () => {
    const anonymous = await h.app.inject({ url: '/v1/jobs' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['x-frame-options']).toBe('DENY');
    const s = await stream(bearer(h.keys.viewer));
    expect(s.status).toBe(200);
    expect(s.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(s.headers['x-content-type-options']).toBe('nosniff');
    s.close();
  });
});

describe('10. no raw dependency errors in public answers', () => {
  it('/readyz names Temporal without its error text; a job’s syncError, a 409 sync_pending and a 503 carry fixed sentences', async () => {
    // This API process's Temporal does not answer (a closed port).
    const dead = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' });
    const app = await buildApp({
      config: { ...h.config, TEMPORAL_CALL_TIMEOUT_MS: 1_000 },
      logger: createLogger('sec-dead', 'silent'),
      orm: h.orm,
      temporal: new Client({ connection: dead }),
    });
    extraApps.push(app);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.temporal).toEqual({ ok: false, error: expect.stringMatching(/^(failed|no answer)$/) });
    // A job stored while Temporal is away, as if it had been in step before: triggering it needs Temporal.
    const key = `sec-503-${randomUUID().slice(0, 6)}`;
    const created = await app.inject({ method: 'POST', url: '/v1/jobs', payload: jobBody(key), headers: bearer(h.keys.admin) });
    expect(created.statusCode).toBe(202);
    // The job says what is wrong in a fixed sentence, and so does the 409 of an action that needs the schedule.
    expect(created.json()).toMatchObject({ syncStatus: 'pending', syncError: SYNC_FAILURE.unreachable });
    const read = await app.inject({ url: `/v1/jobs/${key}`, headers: bearer(h.keys.viewer) });
    expect(read.json().syncError).toBe(SYNC_FAILURE.unreachable);
    const pending = await app.inject({ method: 'POST', url: `/v1/jobs/${key}/trigger`, payload: {}, headers: bearer(h.keys.operator) });
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toEqual({ error: 'sync_pending', message: `Job "${key}" is not in step with Temporal yet: ${SYNC_FAILURE.unreachable} Retry shortly.` });
    // A row an older API wrote with raw text shows the generic sentence instead.
    await h.orm.em.fork().nativeUpdate(JobDefinition, { key }, { syncError: '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1' });
    const legacy = await app.inject({ url: `/v1/jobs/${key}`, headers: bearer(h.keys.viewer) });
    expect(legacy.json().syncError).toBe(SYNC_FAILURE.other);
    await h.orm.em.fork().nativeUpdate(JobDefinition, { key }, { syncStatus: 'synced' });
    const trigger = await app.inject({ method: 'POST', url: `/v1/jobs/${key}/trigger`, payload: {}, headers: bearer(h.keys.operator) });
    expect(trigger.statusCode).toBe(503);
    expect(trigger.json()).toEqual({ error: 'temporal_unavailable', message: 'Temporal did not answer; try again shortly.' });
    // Fire times of a schedule preview need Temporal too: a 503, not a 500.
    const preview = await app.inject({ method: 'POST', url: '/v1/schedules/preview', payload: { cron: '0 3 * * *', timezone: 'UTC', count: 1 }, headers: bearer(h.keys.operator) });
    expect(preview.statusCode).toBe(503);
    expect(preview.json()).toEqual({ error: 'temporal_unavailable', message: 'Temporal did not answer; try again shortly.' });
    for (const body of [ready.body, created.body, read.body, pending.body, legacy.body, trigger.body, preview.body]) {
      expect(body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|14 UNAVAILABLE|deadline|no connection/i);
    }
    await h.orm.em.fork().nativeDelete(JobDefinition, { key });
  }, 30_000);
});
