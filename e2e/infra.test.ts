import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { infra } from './infra-cli';

describe('infra scripts', () => {
  it('up is idempotent: a second run reuses every running service', () => {
    const before = infra('status').out;
    const again = infra('up');
    expect(again.code).toBe(0);
    for (const s of ['mariadb', 'redis', 'temporal', 'kafka']) expect(again.out).toContain(`${s}: already running`);
    expect(infra('status').out).toBe(before);
  });

  it('status prints one line per service with state, address, pid and data dir', () => {
    const { code, out } = infra('status');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['mariadb', 'redis', 'temporal', 'kafka']);
    for (const line of lines) expect(line).toMatch(/^\S+\s+up\s+127\.0\.0\.1:\d+.*pid \d+\s+\.data\/\S+/);
  });

  describe('a port held by another process', () => {
    let holder: Server;
    const dataDir = mkdtempSync(join(tmpdir(), 'tk-infra-'));
    afterAll(() => {
      holder?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('fails with a message naming the port', async () => {
      holder = createServer();
      await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
      const port = (holder.address() as { port: number }).port;
      const res = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_PORT: String(port) });
      expect(res.code).not.toBe(0);
      expect(res.out).toContain(`port ${port} is already taken`);
      expect(res.out).toContain('REDIS_PORT');
    });

    it('an unknown service name is refused', () => {
      const res = infra('status', ['postgres'], { TK_DATA_DIR: dataDir });
      expect(res.code).toBe(1);
      expect(res.out).toContain("unknown service 'postgres'");
    });

    it('an external URL that does not answer is refused, naming the variable', async () => {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as { port: number }).port;
      await new Promise((r) => probe.close(r));
      const res = infra('up', ['redis'], { TK_DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}` });
      expect(res.code).toBe(1);
      expect(res.out).toContain('REDIS_URL points at');
    });
  });
});
