import Redis from 'ioredis';

export type LiveEntry = { id: string; event: string; data: string };
type RawEntry = [string, string[]];

/** Compares Redis stream ids ("ms-seq"). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : (as ?? 0) - (bs ?? 0);
}

export const isStreamId = (s: string) => /^\d{1,20}-\d{1,20}$/.test(s);

function toEntry([id, fields]: RawEntry): LiveEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return { id, event: f.event ?? 'message', data: f.data ?? '' };
}

/**
 * One tail of the live Redis stream per API process (XREAD BLOCK on a connection of its own), fanned
 * out to every connected client; history for resuming clients comes from XRANGE on a second
 * connection. Started on the first subscriber.
 */
export class LiveHub {
  private reader: Redis | null = null;
  private cmd: Redis | null = null;
  private listeners = new Set<(e: LiveEntry) => void>();
  private loop: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly redisUrl: string,
    private readonly streamKey: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private commands(): Redis {
    this.cmd ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 2 });
    return this.cmd;
  }

  subscribe(listener: (e: LiveEntry) => void): () => void {
    this.listeners.add(listener);
    if (!this.loop && !this.closed) this.loop = this.tail();
    return () => this.listeners.delete(listener);
  }

  /** Entries after `afterId` (exclusive), oldest first, a page at a time. */
  async after(afterId: string, count = 500): Promise<LiveEntry[]> {
    const raw = (await this.commands().xrange(this.streamKey, `(${afterId}`, '+', 'COUNT', count)) as RawEntry[];
    return raw.map(toEntry);
  }

  /** The oldest entry id still in the (trimmed) stream, if any. */
  async firstId(): Promise<string | null> {
    const raw = (await this.commands().xrange(this.streamKey, '-', '+', 'COUNT', 1)) as RawEntry[];
    return raw[0]?.[0] ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
    this.cmd?.disconnect();
    this.listeners.clear();
  }

  private async tail(): Promise<void> {
    this.reader = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    let last: string | null = null;
    while (!this.closed) {
      try {
        if (last === null) {
          // Start at the current end; resuming clients read what came before through after().
          const tip = (await this.reader.xrevrange(this.streamKey, '+', '-', 'COUNT', 1)) as RawEntry[];
          last = tip[0]?.[0] ?? '0-0';
        }
        const res = (await this.reader.xread('COUNT', 500, 'BLOCK', 5_000, 'STREAMS', this.streamKey, last)) as Array<[string, RawEntry[]]> | null;
        for (const raw of res?.[0]?.[1] ?? []) {
          const entry = toEntry(raw);
          last = entry.id;
          for (const l of this.listeners) l(entry);
        }
      } catch (err) {
        if (this.closed) return;
        this.onError(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
