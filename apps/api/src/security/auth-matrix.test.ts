import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NOTE } from '../plugins/auth';
import { startHarness, type Harness } from '../testing/harness';
import { consoleHeaders, openStream } from './support';

// Every route Fastify serves (its own table, so a route left out of the OpenAPI document cannot slip
// by) must need a key unless it is a probe or the docs. Every operation in the API's own
// OpenAPI document is then called with no credential, with a viewer, an operator and an admin key, and
// with a console session of each: each answer must be what the policy below says. A route added
// without a line here fails the first two tests.
type Rule = 'public' | 'viewer' | 'operator' | 'admin' | 'console-key';
const POLICY: Record<string, Rule> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'viewer',
  'GET /v1/jobs': 'viewer',
  'POST /v1/jobs': 'admin',
  'GET /v1/jobs/{key}': 'viewer',
  'PATCH /v1/jobs/{key}': 'admin',
  'DELETE /v1/jobs/{key}': 'admin',
  'GET /v1/jobs/{key}/next-runs': 'viewer',
  'GET /v1/next-runs': 'viewer',
  'POST /v1/jobs/{key}/pause': 'operator',
  'POST /v1/jobs/{key}/resume': 'operator',
  'POST /v1/jobs/{key}/trigger': 'operator',
  'POST /v1/jobs/{key}/backfill': 'operator',
  'POST /v1/schedules/preview': 'operator',
  'GET /v1/runs': 'viewer',
  'GET /v1/jobs/{key}/runs': 'viewer',
  'GET /v1/jobs/{key}/stats': 'viewer',
  'POST /v1/runs/{workflowId}/cancel': 'operator',
  'POST /v1/runs/{workflowId}/retry': 'operator',
  'GET /v1/audit': 'viewer',
  'GET /v1/me': 'viewer',
  'GET /v1/keys': 'admin',
  'POST /v1/keys': 'admin',
  'DELETE /v1/keys/{id}': 'admin',
  'POST /v1/sessions': 'console-key',
  'GET /v1/sessions': 'admin',
  'DELETE /v1/sessions/current': 'viewer',
  'DELETE /v1/sessions/{id}': 'admin',
  'GET /v1/alerts': 'viewer',
  'GET /v1/alerts/{id}': 'viewer',
  'POST /v1/alerts/{id}/ack': 'operator',
  'POST /v1/alerts/{id}/resolve': 'operator',
  'GET /v1/alert-policies': 'viewer',
  'PUT /v1/alert-policies/global': 'admin',
  'DELETE /v1/alert-policies/global': 'admin',
  'PUT /v1/alert-policies/{scope}/{target}': 'admin',
  'DELETE /v1/alert-policies/{scope}/{target}': 'admin',
  'GET /v1/jobs/{key}/baseline': 'viewer',
  'GET /v1/maintenance-windows': 'viewer',
  'POST /v1/maintenance-windows': 'operator',
  'GET /v1/maintenance-windows/{id}': 'viewer',
  'PATCH /v1/maintenance-windows/{id}': 'operator',
  'POST /v1/maintenance-windows/{id}/end': 'operator',
  'DELETE /v1/maintenance-windows/{id}': 'operator',
  'POST /v1/jobs/{key}/pause-until': 'operator',
  'GET /v1/alert-routes': 'viewer',
  'POST /v1/alert-routes': 'admin',
  'PUT /v1/alert-routes/{id}': 'admin',
  'DELETE /v1/alert-routes/{id}': 'admin',
  'POST /v1/alert-routes/{id}/test': 'operator',
  'GET /v1/alert-routes/{id}/dead-letters': 'viewer',
  'POST /v1/alert-routes/{id}/dead-letters/requeue': 'operator',
  'GET /v1/kinds': 'viewer',
  'GET /v1/events': 'viewer',
};
const ROLES = ['viewer', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];
const rank = (r: Role | 'viewer') => ROLES.indexOf(r);

// Parameters that exist nowhere: past authentication every route answers 4xx for them, never a change.
const PARAMS: Record<string, string> = { key: 'no-such-job', id: '999999', workflowId: 'tk-no-such-job-2026-01-01T00:00:00Z' };

type Operation = { method: string; path: string; url: string; hasBody: boolean; description: string };

let h: Harness;
let base: string;
let operations: Operation[];
const sessions = {} as Record<Role, string>;

beforeAll(async () => {
  h = await startHarness('security_matrix', { TIMEKEEPER_INSTANCE: `sec-matrix-${randomUUID().slice(0, 8)}` });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  await h.app.ready();
  const doc = h.app.swagger() as { paths: Record<string, Record<string, { description?: string; requestBody?: unknown }>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      url: path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(PARAMS[name] ?? 'x')),
      hasBody: Boolean(op.requestBody),
      description: op.description ?? '',
    })),
  );
  for (const role of ROLES) {
    const res = await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${h.keys[role]}`, ...consoleHeaders(h) } });
    sessions[role] = res.json().session;
  }
}, 60_000);
afterAll(async () => h?.close());

/** One call; the event stream is opened over HTTP and closed once its status is known. */
async function call(op: Operation, headers: Record<string, string>): Promise<number> {
  if (op.path === '/v1/events') {
    const s = await openStream(base, headers);
    s.close();
    return s.status;
  }
  const res = await h.app.inject({
    method: op.method as 'GET',
    url: op.url,
    headers: { ...headers, ...(op.method === 'PATCH' ? { 'if-match': '1' } : {}) },
    ...(op.hasBody ? { payload: {} } : {}),
  });
  return res.statusCode;
}

const credentials = (role: Role, kind: 'key' | 'session') =>
  kind === 'key' ? { authorization: `Bearer ${h.keys[role]}` } : { authorization: `Session ${sessions[role]}`, ...consoleHeaders(h) };

async function spareSession(role: Role): Promise<Record<string, string>> {
  const res = await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${h.keys[role]}`, ...consoleHeaders(h) } });
  return { authorization: `Session ${res.json().session}`, ...consoleHeaders(h) };
}

// What may answer without a credential, whatever the OpenAPI document says: probes and the docs.
const PUBLIC_ROUTES = [/^\/healthz$/, /^\/readyz$/, /^\/docs(\/.*)?$/];
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('every route Fastify serves, documented or not', () => {
  it('is public only if it is a probe or the docs; any other needs a key (401 without one) and has a policy', async () => {
    const table = h.app.routeTable;
    // The table is Fastify's own: it holds the documented operations and more (HEAD twins, docs assets).
    expect(table.length).toBeGreaterThan(operations.length);
    const failures: string[] = [];
    for (const { method, url } of table) {
      const name = `${method} ${url}`;
      if (PUBLIC_ROUTES.some((p) => p.test(url))) {
        const documented = POLICY[`${method === 'HEAD' ? 'GET' : method} ${openApiPath(url)}`];
        if (documented !== undefined && documented !== 'public') failures.push(`${name} is public but its policy is ${documented}`);
        continue;
      }
      // A HEAD twin answers as its GET does.
      const policy = POLICY[`${method === 'HEAD' ? 'GET' : method} ${openApiPath(url)}`];
      if (policy === undefined || policy === 'public') failures.push(`${name} has no policy here (a new route must be added to POLICY)`);
      const filled = url.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(PARAMS[p] ?? 'x')).replace(/\*$/, 'x');
      const res = await h.app.inject({ method: method as 'GET', url: filled, ...(['POST', 'PATCH', 'PUT'].includes(method) ? { payload: {} } : {}) });
      if (res.statusCode !== 401) failures.push(`${name} without a key → ${res.statusCode}, expected 401`);
    }
    expect(failures).toEqual([]);
    // Each documented operation is a route Fastify serves (the two lists describe the same API).
    const served = new Set(table.map((r) => `${r.method} ${openApiPath(r.url)}`));
    expect(operations.map((o) => `${o.method} ${o.path}`).filter((o) => !served.has(o))).toEqual([]);
  });
});

describe('auth matrix over the OpenAPI document', () => {
  it('every documented operation has a policy, and every policy a documented operation', () => {
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(Object.keys(POLICY).sort());
  });

  it('the document states each operation’s rule', () => {
    for (const op of operations) {
      const rule = POLICY[`${op.method} ${op.path}`];
      const note = rule === 'public' ? ROLE_NOTE.public : rule === 'console-key' ? ROLE_NOTE.keyOnly : ROLE_NOTE.role(rule);
      expect(op.description, `${op.method} ${op.path}`).toContain(note);
    }
  });

  it('answers as the policy says for no credential, each role’s key, and each role’s console session', { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    const expectThat = (ok: boolean, what: string) => ok || failures.push(what);
    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      const rule = POLICY[name];
      const anonymous = await call(op, {});
      if (rule === 'public') {
        expectThat(anonymous < 400 || anonymous === 503, `${name} without a key → ${anonymous}, expected it open`);
        continue;
      }
      expectThat(anonymous === 401, `${name} without a key → ${anonymous}, expected 401`);
      for (const role of ROLES) {
        for (const kind of ['key', 'session'] as const) {
          // Signing out spends the session: that call gets one of its own.
          const headers = kind === 'session' && name === 'DELETE /v1/sessions/current' ? await spareSession(role) : credentials(role, kind);
          const status = await call(op, headers);
          const label = `${name} as ${role} ${kind} → ${status}`;
          if (rule === 'console-key') {
            // A session never opens another; a key does so only through the console (a key alone: 403).
            expectThat(status === (kind === 'session' ? 401 : 403), `${label}, expected ${kind === 'session' ? 401 : 403}`);
          } else if (rank(role) < rank(rule)) {
            expectThat(status === 403, `${label}, expected 403`);
          } else {
            expectThat(status !== 401 && status !== 403 && status < 500, `${label}, expected past auth (not 401/403/5xx)`);
          }
        }
      }
    }
    // The console's own exchange of a key for a session, for every role.
    for (const role of ROLES) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${h.keys[role]}`, ...consoleHeaders(h) } });
      expectThat(res.statusCode === 201, `POST /v1/sessions as ${role} through the console → ${res.statusCode}, expected 201`);
    }
    expect(failures).toEqual([]);
  });
});
