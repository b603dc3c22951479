import type { LiveStreamEntry } from '@timekeeper/contracts';
import type Redis from 'ioredis';
import type { MikroORM } from '@timekeeper/db';

// Adds an entry once per event id (a marker key with a TTL), and moves the cursor forward, atomically.
const APPEND = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[5]) then
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[2], 'data', ARGV[3], 'outboxId', ARGV[4])
  local cur = tonumber(redis.call('GET', KEYS[3]) or '0')
  if tonumber(ARGV[4]) > cur then redis.call('SET', KEYS[3], ARGV[4]) end
  return id
end
return false`;

// A transaction that took its outbox id earlier may commit after later ids were streamed; rows this
// recent below the cursor are looked at again (the marker key keeps each to one entry).
const LATE_COMMIT_MS = 15_000;
const SEEN_TTL_MS = 3_600_000;

type Row = { id: number | string; event_id: string; topic: string; payload: string | Record<string, unknown> };

export type LiveSinkOptions = {
  orm: MikroORM;
  redis: Redis;
  streamKey: string;
  maxLen: number;
  topics: { alerts: string; runs: string };
  batchSize?: number;
};

/**
 * Copies alert and run events from the outbox into the Redis stream the API's SSE endpoint tails. It
 * reads MySQL, not Kafka, so the live view keeps working while Kafka is down; entry ids (assigned by
 * Redis, monotonic) are the SSE event ids, so a client's Last-Event-ID resumes exactly.
 */
export class LiveSink {
  private cursor: number | null = null;
  /** (time, cursor) pairs of the last LATE_COMMIT_MS, to re-read the rows below the cursor. */
  private history: Array<{ at: number; cursor: number }> = [];
  private done = new Set<string>();

  constructor(private readonly opts: LiveSinkOptions) {}

  private get cursorKey() {
    return `${this.opts.streamKey}:outbox-cursor`;
  }

  /**
   * The stored cursor, unless it is ahead of every outbox row: then the database was recreated (or
   * restored) under the same stream, and keeping the cursor would silently skip every new event.
   */
  private async loadCursor(): Promise<number> {
    const stored = Number((await this.opts.redis.get(this.cursorKey)) ?? '0');
    const [row] = await this.opts.orm.em.fork().getConnection().execute<Array<{ m: number | string | null }>>('select max(id) as m from outbox');
    const newest = Number(row?.m ?? 0);
    if (stored <= newest) return stored;
    await this.opts.redis.set(this.cursorKey, '0');
    return 0;
  }

  /** One pass; returns how many entries were added. */
  async pass(): Promise<number> {
    const { orm, redis, topics } = this.opts;
    if (this.cursor === null) this.cursor = await this.loadCursor();
    const now = Date.now();
    this.history = this.history.filter((h) => h.at >= now - LATE_COMMIT_MS);
    const low = this.history.length ? this.history[0].cursor : Math.max(0, this.cursor - 1_000);
    const conn = orm.em.fork().getConnection();
    const rows = await conn.execute<Row[]>(
      'select id, event_id, topic, payload from outbox where id > ? and topic in (?, ?) order by id limit ?',
      [low, topics.alerts, topics.runs, this.opts.batchSize ?? 1_000],
    );
    let added = 0;
    let max = this.cursor;
    const seenNow = new Set<string>();
    for (const r of rows) {
      const id = Number(r.id);
      if (id > max) max = id;
      seenNow.add(r.event_id);
      if (this.done.has(r.event_id)) continue;
      const data = typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload);
      const event: LiveStreamEntry['event'] = r.topic === topics.alerts ? 'alert' : 'run';
      const res = await redis.eval(APPEND, 3, this.opts.streamKey, `${this.opts.streamKey}:seen:${r.event_id}`, this.cursorKey, String(this.opts.maxLen), event, data, String(id), String(SEEN_TTL_MS));
      if (res) added++;
    }
    // Only ids still inside the re-read window need remembering.
    this.done = seenNow;
    this.cursor = max;
    this.history.push({ at: now, cursor: max });
    return added;
  }
}
