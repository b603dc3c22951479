import { request } from 'node:http';
import { createApiKey } from '../services/api-keys';
import type { Harness } from '../testing/harness';

/** Polls until `check` holds, or fails naming what was awaited. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A fresh key of its own for one test (per-key limits and revocations stay out of other tests' way). */
export async function freshKey(h: Harness, role: 'viewer' | 'operator' | 'admin', name = `t-${Math.random().toString(36).slice(2, 10)}`) {
  const { key, row } = await createApiKey(h.orm.em.fork(), { name, role, createdBy: 'test' });
  return { key, id: row.id, prefix: row.prefix };
}

/** Headers the console sends: its secret, and optionally the browser's address. */
export const consoleHeaders = (h: Harness, address?: string): Record<string, string> => ({
  'x-timekeeper-console': h.config.CONSOLE_SECRET!,
  ...(address ? { 'x-timekeeper-client-address': address } : {}),
});

export type Stream = { status: number; headers: Record<string, string | string[] | undefined>; text: () => string; closed: () => boolean; close: () => void };

/** An open GET /v1/events on a listening API; resolves once the response head has arrived. */
export function openStream(base: string, headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    let closed = false;
    // A connection of its own (no keep-alive pool), so closing the stream closes the socket.
    const req = request(`${base}/v1/events`, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('close', () => (closed = true));
      res.on('end', () => (closed = true));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: () => text, closed: () => closed, close: () => req.destroy() });
    });
    req.on('error', (err) => (closed ? undefined : reject(err)));
    req.end();
  });
}
