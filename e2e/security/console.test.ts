import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBeforeBodyEnds, http, setCookie, type Answer } from './http';
import { startStack, type Stack } from './stack';

// Issue 11 through the real console (next start) in front of the real API (node dist/server.js): one
// test per finding that lives in the console, each of which failed before the fix (commit 99d6a68).
let s: Stack;
let origin: string;

beforeAll(async () => {
  s = await startStack('security_console');
  origin = s.webUrl;
}, 180_000);
afterAll(async () => s?.stop(), 60_000);

const signIn = async (key: string, headers: Record<string, string> = {}) =>
  http(s.webUrl, { method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json', origin, ...headers }, body: JSON.stringify({ key }) });
const sessionOf = (res: Answer) => /^tk_session=([^;]*)/.exec(setCookie(res.headers, 'tk_session') ?? '')?.[1] ?? '';
const asSession = (sid: string) => ({ cookie: `tk_session=${sid}` });
const apiAs = (key: string, path: string, method = 'GET', body?: unknown) =>
  http(s.apiUrl, { method, path, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
const newKey = async (role: string) => {
  const res = await apiAs(s.adminKey, '/v1/keys', 'POST', { name: `sec-${Math.random().toString(36).slice(2, 8)}`, role });
  return res.json() as { key: string; apiKey: { id: number } };
};

describe('10. the first admin key goes to a file, never to the output', () => {
  it('is written 0600, and neither stdout nor the logs hold it', () => {
    expect(s.adminKey).toMatch(/^tk_[0-9a-f]{12}_/);
    expect(statSync(s.firstKeyFile).mode & 0o777).toBe(0o600);
    expect(s.apiOutput()).toContain(`First admin API key written to ${s.firstKeyFile}`);
    expect(s.apiOutput()).not.toContain(s.adminKey);
    // The secret part alone (base64url may itself hold '_', so not split('_')[2], which can be empty).
    const secret = s.adminKey.replace(/^tk_[0-9a-f]{12}_/, '');
    expect(secret).toHaveLength(43);
    expect(s.apiOutput()).not.toContain(secret);
  });
});

describe('1. nobody can lock the console out', () => {
  it('25 bad cookies through the console leave sign-in and valid requests working', async () => {
    let last: Answer | null = null;
    for (let i = 0; i < 25; i++) last = await http(s.webUrl, { path: '/api/v1/me', headers: { cookie: 'tk_session=x; tk_key=x' } });
    expect([401, 429]).toContain(last!.status);
    const signedIn = await signIn(s.adminKey);
    expect(signedIn.status).toBe(200);
    expect((await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sessionOf(signedIn)) })).status).toBe(200);
    // And directly on the API from the same host.
    expect((await apiAs(s.adminKey, '/v1/me')).status).toBe(200);
  });
});

describe('2. bodies are limited before they are buffered', () => {
  const head = (path: string, extra: string) => `POST ${path} HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\n${extra}\r\n`;

  it('a declared 50 MB body is refused at once, by the proxy and by sign-in', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    const proxied = await answerBeforeBodyEnds(s.webUrl, head('/api/v1/jobs', `Cookie: tk_session=${sid}\r\nContent-Length: 52428800\r\n`), Buffer.alloc(64 * 1024, 0x20));
    expect(proxied ?? 'no answer while the body was still being sent').toMatch(/^HTTP\/1\.1 413/);
    const login = await answerBeforeBodyEnds(s.webUrl, head('/auth/login', 'Content-Length: 10485760\r\n'), Buffer.alloc(64 * 1024, 0x20));
    expect(login ?? 'no answer while the body was still being sent').toMatch(/^HTTP\/1\.1 413/);
  });

  it('a chunked body is cut off once it passes the limit', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    const chunk = Buffer.alloc(300 * 1024, 0x20);
    const chunked = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const proxied = await answerBeforeBodyEnds(s.webUrl, head('/api/v1/jobs', `Cookie: tk_session=${sid}\r\nTransfer-Encoding: chunked\r\n`), chunked);
    expect(proxied ?? 'no answer while the body was still being sent').toMatch(/^HTTP\/1\.1 413/);
    const login = await answerBeforeBodyEnds(s.webUrl, head('/auth/login', 'Transfer-Encoding: chunked\r\n'), chunked);
    expect(login ?? 'no answer while the body was still being sent').toMatch(/^HTTP\/1\.1 413/);
  });
});

describe('5. the browser holds a session id, never the key', () => {
  it('sign-in sets an HttpOnly, SameSite=Strict, Path=/ session cookie that is not the key', async () => {
    const res = await signIn(s.adminKey);
    expect(res.status).toBe(200);
    const cookie = setCookie(res.headers, 'tk_session')!;
    expect(cookie).toMatch(/^tk_session=tks_[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(JSON.stringify(res.headers)).not.toContain(s.adminKey);
    expect(res.body).not.toContain(s.adminKey);
    // An old raw-key cookie is cleared on sight.
    expect(setCookie(res.headers, 'tk_key')).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
  });

  it('over TLS (COOKIE_SECURE=true) the cookie is Secure and named __Host-', async () => {
    const web = await s.startWeb({ COOKIE_SECURE: 'true' });
    const res = await http(web.url, { method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json', origin: web.url }, body: JSON.stringify({ key: s.adminKey }) });
    expect(res.status).toBe(200);
    const cookie = setCookie(res.headers, '__Host-tk_session')!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    await web.stop();
  }, 120_000);

  it('revoking the key ends its console sessions at once, and the console drops the cookie', async () => {
    const { key, apiKey } = await newKey('viewer');
    const sid = sessionOf(await signIn(key));
    expect((await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sid) })).status).toBe(200);
    expect((await apiAs(s.adminKey, `/v1/keys/${apiKey.id}`, 'DELETE')).status).toBe(200);
    const after = await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sid) });
    expect(after.status).toBe(401);
    expect(setCookie(after.headers, 'tk_session')).toMatch(/^tk_session=;.*Max-Age=0/i);
  });

  it('logout ends the session at the API, not just in the browser, and closes its event stream', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    let text = '';
    let ended = false;
    const req = request(`${s.webUrl}/api/v1/events`, { headers: asSession(sid), agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
    });
    req.end();
    await until(() => text.includes('retry:'));
    const out = await http(s.webUrl, { method: 'POST', path: '/auth/logout', headers: { ...asSession(sid), origin } });
    expect(out.status).toBe(204);
    expect(setCookie(out.headers, 'tk_session')).toMatch(/Max-Age=0/i);
    await until(() => ended);
    expect(text).toContain('event: revoked');
    // The id is dead everywhere, even if a copy of the cookie survived.
    expect((await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sid) })).status).toBe(401);
    req.destroy();
  });
});

describe('6. security headers on every console response', () => {
  it.each(['/login', '/api/v1/me', '/auth/logout', '/healthz'])('%s', async (path) => {
    const res = await http(s.webUrl, { path });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)![1];
    expect(scripts).not.toContain("'unsafe-inline'");
  });

  it('pages carry a fresh script nonce that Next puts on its scripts', async () => {
    const [a, b] = [await http(s.webUrl, { path: '/login' }), await http(s.webUrl, { path: '/login' })];
    const nonce = (r: Answer) => /'nonce-([^']+)'/.exec(String(r.headers['content-security-policy']))?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    const scripts = a.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce(a)}"`);
  });
});

describe('7. the proxy forwards /api/v1/... only, one plain segment at a time', () => {
  const BAD = [
    '/api/v1/%2e%2e/metrics',
    '/api/v1/.%2e/keys',
    '/api/v1/jobs/..%2fmetrics',
    '/api/v1/jobs/%2Fx',
    '/api/v1/jobs/%2fx/runs',
    '/api/v1/jobs/a%5Cb',
    '/api/v1/jobs/%25',
    '/api/v1/jobs/%',
    '/api/v1/jobs/%zz',
    '/api/v1/jobs/%E0%A4%A',
    '/api/v1/jobs/%FF',
    '/api/v1/jobs/%00',
    '/api/v1/jobs/a%20b',
    '/api/v1/jobs/%3Cscript%3E',
    '/api/v2/jobs',
    '/api/v1',
    '/api/metrics',
    '/api/healthz',
  ];

  it.each(BAD)('%s is a 4xx JSON answer, never forwarded, never 500', async (path) => {
    const sid = sessionOf(await signIn(s.adminKey));
    const reached = await requestsReachingApi(sid, async () => {
      for (const method of ['GET', 'POST']) {
        const res = await http(s.webUrl, { method, path, headers: { ...asSession(sid), origin, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        expect(res.json().error, `${method} ${path}`).toBeTruthy();
      }
    });
    // Refused by the console itself: the API never saw them (its own 404 would be a 4xx too).
    expect(reached).toEqual([]);
  });

  it('a trailing dot segment is resolved by URL rules before anything sees it: Next redirects to the path without it', async () => {
    // (WHATWG URL parsing drops `.`/`%2e` segments and resolves `..` ones; what is left is checked as above.)
    const res = await http(s.webUrl, { path: '/api/v1/jobs/%2e' });
    expect(res.status).toBe(308);
    expect(String(res.headers.location).replace(origin, '')).toBe('/api/v1/jobs');
  });

  it('/jobs/%25 renders (it was decoded twice: a 500) and /jobs/% is a 400', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    expect((await http(s.webUrl, { path: '/jobs/%25', headers: asSession(sid) })).status).toBe(200);
    expect((await http(s.webUrl, { path: '/jobs/%', headers: asSession(sid) })).status).toBe(400);
  });

  it('Origin: null on a change is a 403, not a 500', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    const res = await http(s.webUrl, { method: 'POST', path: '/api/v1/jobs/nope/pause', headers: { ...asSession(sid), origin: 'null', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.json().error).toBe('cross_site_refused');
  });
});

describe('8. another site cannot sign a visitor in or out', () => {
  it('refuses a cross-site sign-in, even a text/plain form carrying JSON', async () => {
    const attacker = await newKey('viewer');
    const forms: Array<Record<string, string>> = [
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      { origin: 'null', 'content-type': 'text/plain' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    ];
    for (const headers of forms) {
      const res = await http(s.webUrl, { method: 'POST', path: '/auth/login', headers, body: JSON.stringify({ key: attacker.key }) });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(setCookie(res.headers, 'tk_session')).toBeUndefined();
    }
    // Same origin, but not JSON: a form cannot be made into a sign-in.
    const plain = await http(s.webUrl, { method: 'POST', path: '/auth/login', headers: { origin, 'content-type': 'text/plain' }, body: JSON.stringify({ key: attacker.key }) });
    expect(plain.status).toBe(415);
  });

  it('refuses a cross-site sign-out: the session stays', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    const res = await http(s.webUrl, { method: 'POST', path: '/auth/logout', headers: { ...asSession(sid), origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sid) })).status).toBe(200);
  });
});

describe('the console’s /metrics needs an API key, like every route but the probes', () => {
  it('refuses no key, a session cookie, an unknown or a revoked key; serves a valid key of any role', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    const viewer = await newKey('viewer');
    const revoked = await newKey('viewer');
    expect((await apiAs(s.adminKey, `/v1/keys/${revoked.apiKey.id}`, 'DELETE')).status).toBeLessThan(300);
    const refused: Array<Record<string, string>> = [{}, asSession(sid), { authorization: 'Bearer tk_000000000000_nope' }, { authorization: `Bearer ${revoked.key}` }];
    for (const headers of refused) {
      const res = await http(s.webUrl, { path: '/metrics', headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('API key') });
    }
    const ok = await http(s.webUrl, { path: '/metrics', headers: { authorization: `Bearer ${viewer.key}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('process_uptime_seconds{app="web"}');
    expect((await http(s.webUrl, { path: '/healthz' })).status).toBe(200);
  });
});

describe('10. no raw errors from the console when the API is away', () => {
  it('the proxy’s 502 and /readyz name the API without the fetch error', async () => {
    const sid = sessionOf(await signIn(s.adminKey));
    await s.stopApi();
    const proxied = await http(s.webUrl, { path: '/api/v1/me', headers: asSession(sid) });
    expect(proxied.status).toBe(502);
    expect(proxied.json()).toEqual({ error: 'api_unreachable', message: 'The API did not answer; try again in a moment.' });
    const ready = await http(s.webUrl, { path: '/readyz' });
    expect(ready.status).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', checks: { api: { ok: false, error: 'no answer' } } });
    for (const body of [proxied.body, ready.body]) expect(body).not.toMatch(/fetch failed|ECONNREFUSED|127\.0\.0\.1|:\d{4,5}/);
  });
});

/**
 * The requests the API received (its request log) while `act` ran. A marker request through the console
 * before and after brackets the window: requests are sequential, so once the API has logged the closing
 * marker it has logged everything the console forwarded before it.
 */
async function requestsReachingApi(sid: string, act: () => Promise<void>): Promise<string[]> {
  const mark = async () => {
    const marker = `/v1/me?marker=${randomUUID()}`;
    expect((await http(s.webUrl, { path: `/api${marker}`, headers: asSession(sid) })).status).toBe(200);
    await until(() => s.apiOutput().includes(marker));
    return marker;
  };
  const opening = await mark();
  const from = s.apiOutput().indexOf(opening);
  await act();
  const closing = await mark();
  return s
    .apiOutput()
    .slice(from)
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line.slice(line.indexOf('{'))) as { msg?: string; req?: { url?: string } };
        return entry.msg === 'incoming request' && entry.req?.url ? [entry.req.url] : [];
      } catch {
        return [];
      }
    })
    .filter((url) => url !== opening && url !== closing);
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
