import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: IncomingHttpHeaders; body: string };

/**
 * A local webhook receiver for the routing specs: records every request and answers `status` (changeable
 * while it runs, e.g. refuse first and accept after a requeue). Listens on 127.0.0.1, a free port.
 */
export async function startReceiver(status = 200): Promise<{ url: string; got: Received[]; answer: (s: number) => void; close: () => Promise<void> }> {
  const got: Received[] = [];
  let answer = status;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    answer: (s) => (answer = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
