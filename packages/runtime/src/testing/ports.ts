import { createServer, Socket } from 'node:net';

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
    s.connect(port, '127.0.0.1');
  });
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((r) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => r(port));
    });
  });
}
