import { request } from 'node:http';
import { connect } from 'node:net';

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: () => Record<string, unknown> };

/** One HTTP request with the path exactly as given (no URL normalisation, unlike fetch). */
export function http(base: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = request({ host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/**
 * Sends a request head and only part of its body, then waits for an answer: the server must refuse
 * without waiting for (or buffering) the rest. Resolves with the status line, or null if none came.
 */
export function answerBeforeBodyEnds(base: string, head: string, firstChunk: Buffer | string, waitMs = 10_000): Promise<string | null> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    const done = (v: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), waitMs);
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\r\n')[0];
      if (text.includes('\r\n')) done(line);
    });
    socket.on('error', () => done(text.split('\r\n')[0] || null));
    socket.write(head);
    socket.write(firstChunk);
  });
}

/** The cookie a Set-Cookie header list gives `name`, with its attributes. */
export function setCookie(headers: Answer['headers'], name: string): string | undefined {
  const all = headers['set-cookie'];
  return (Array.isArray(all) ? all : all ? [all] : []).find((c) => c.startsWith(`${name}=`));
}
