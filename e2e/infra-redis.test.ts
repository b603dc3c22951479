import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra } from './infra-cli';

// Finding 9 (issue 11): Redis ran without a password, so any local process could inject live-stream
// entries that reach every console. A Redis of the test's own (temp data dir, free port) shows the fix.
const dataDir = mkdtempSync(join(tmpdir(), 'tk-infra-redis-'));
let port = 0;

/** Sends raw RESP commands and returns the first reply line of each (no client library needed). */
function redisSay(commands: string[][]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const lines = text.split('\r\n').filter((l) => /^[+\-:]/.test(l));
      if (lines.length >= commands.length) {
        socket.destroy();
        resolve(lines);
      }
    });
    socket.on('error', reject);
    socket.setTimeout(5_000, () => reject(new Error('redis did not answer')));
    for (const c of commands) socket.write(`*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
});
afterAll(() => {
  infra('down', ['redis'], { TK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Redis started by infra/', () => {
  it('has a generated password, kept in .data like MariaDB’s, and REDIS_URL carries it', async () => {
    const up = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
    expect(up.code, up.out).toBe(0);
    const passwordFile = join(dataDir, 'redis', 'password');
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9]{24,}$/);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'redis', 'redis.conf')).mode & 0o777).toBe(0o600);
    expect(up.out).not.toContain(password);

    const env = readFileSync(join(dataDir, 'infra.env'), 'utf8');
    expect(env).toContain(`export REDIS_URL='redis://:${password}@127.0.0.1:${port}'`);

    // Without the password: refused. With it: served.
    const [anonymous] = await redisSay([['XADD', 'tk:live', '*', 'event', 'alert', 'data', '{}']]);
    expect(anonymous).toMatch(/^-NOAUTH/);
    const [auth, pong] = await redisSay([['AUTH', password], ['PING']]);
    expect([auth, pong]).toEqual(['+OK', '+PONG']);
    const [wrong] = await redisSay([['AUTH', 'not-the-password']]);
    expect(wrong).toMatch(/^-(WRONGPASS|ERR)/);
  });

  it('a second up reuses it, with the same password and URL', () => {
    const before = readFileSync(join(dataDir, 'infra.env'), 'utf8');
    const again = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('redis: already running');
    expect(again.out).not.toContain('WARNING');
    expect(readFileSync(join(dataDir, 'infra.env'), 'utf8')).toBe(before);
  });
});
