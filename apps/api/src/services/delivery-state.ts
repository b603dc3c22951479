import { deliveryKeys, type DeadLetterDto, type DeadLetterPage } from '@timekeeper/contracts';
import { deliveryNameOf, getRoute, type MikroORM, type StoredRoute } from '@timekeeper/db';
import type Redis from 'ioredis';
import { ApiError, badRequest, notFound, unavailable } from '../errors';
import { audit } from './audit';

type Entry = [string, string[]];

// Moves dead letters to the destination's requeue stream in one step: all named ones or none (a missing
// id is reported and nothing moves), so two operators requeueing at once never deliver one letter twice.
const REQUEUE = `
local entries = {}
local missing = {}
if #ARGV == 1 then
  entries = redis.call('XRANGE', KEYS[1], '-', '+')
else
  for i = 2, #ARGV do
    local e = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
    if #e == 0 then missing[#missing + 1] = ARGV[i] else entries[#entries + 1] = e[1] end
  end
end
if #missing > 0 then return {0, missing} end
local moved = {}
for _, e in ipairs(entries) do
  local fields = e[2]
  fields[#fields + 1] = 'requeuedBy'
  fields[#fields + 1] = ARGV[1]
  redis.call('XADD', KEYS[2], '*', unpack(fields))
  redis.call('XDEL', KEYS[1], e[1])
  moved[#moved + 1] = e[1]
end
return {1, moved}
`;

const fieldsOf = (raw: string[]): Record<string, string> => {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) f[raw[i]] = raw[i + 1];
  return f;
};

/** A dead letter as listed: what the event was (if its data still parses) and why it was given up. */
function toDto(destination: number, [id, raw]: Entry): DeadLetterDto {
  const f = fieldsOf(raw);
  type Parsed = { eventId?: unknown; type?: unknown; alert?: Record<string, unknown> } | null;
  let event: Parsed;
  try {
    event = JSON.parse(f.data ?? '') as Parsed;
  } catch {
    event = null;
  }
  const a = event?.alert;
  return {
    id,
    destination,
    deadAt: new Date(Number(id.split('-')[0])).toISOString(),
    error: f.error ?? '',
    attempts: Number(f.attempts ?? 0),
    eventId: typeof event?.eventId === 'string' ? event.eventId : null,
    type: typeof event?.type === 'string' ? event.type : null,
    alert: a && typeof a.jobKey === 'string' ? { id: Number(a.id), jobKey: a.jobKey, kind: String(a.kind), severity: String(a.severity), slot: String(a.slot) } : null,
  };
}

const newestFirst = (a: DeadLetterDto, b: DeadLetterDto) => {
  const [am, as] = a.id.split('-').map(Number);
  const [bm, bs] = b.id.split('-').map(Number);
  return bm !== am ? bm - am : bs !== as ? bs - as : b.destination - a.destination;
};

/**
 * What the API touches of routing rules' delivery loops (kept by the alerting service in Redis beside the
 * live stream, see deliveryKeys): a new destination's starting point, and its dead letters, listed newest
 * first and requeued (operator, audited) onto its requeue stream, which the loop sends before new alerts
 * and dead-letters again if refused.
 */
export class DeliveryState {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly streamKey: string,
  ) {}

  /**
   * Newest first over the destinations asked for. Each destination is a stream of its own, so two can hold
   * the same id: the order is (id, destination) descending, and the cursor `<id>~<destination>` names the
   * last item of a page.
   */
  async list(routeId: number, opts: { destination?: number; limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const route = await this.route(routeId, opts.destination);
    const indexes = opts.destination !== undefined ? [opts.destination] : route.destinations.map((_, i) => i);
    const [afterId, afterDestination] = opts.cursor ? [opts.cursor.split('~')[0], Number(opts.cursor.split('~')[1] ?? 0)] : [null, 0];
    // After (id, d): ids below, and that id itself only in destinations below d.
    const endOf = (i: number) => (afterId === null ? '+' : i < afterDestination ? afterId : `(${afterId}`);
    const pages = await this.redisCall(() =>
      Promise.all(indexes.map(async (i) => ((await this.redis.xrevrange(this.keys(route, i).dead, endOf(i), '-', 'COUNT', opts.limit + 1)) as Entry[]).map((e) => toDto(i, e)))),
    );
    const all = pages.flat().sort(newestFirst);
    const items = all.slice(0, opts.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: all.length > opts.limit ? `${last.id}~${last.destination}` : null };
  }

  async requeue(routeId: number, body: { destination: number; ids?: string[] }, actor: string): Promise<{ requeued: number; ids: string[] }> {
    const route = await this.route(routeId, body.destination);
    const keys = this.keys(route, body.destination);
    // The audit entry commits only if the letters moved; the move is one atomic script.
    return this.orm.em.fork().transactional(async (tx) => {
      const [ok, ids] = (await this.redisCall(() => this.redis.eval(REQUEUE, 2, keys.dead, keys.requeue, actor, ...(body.ids ?? [])))) as [number, string[]];
      if (!ok) {
        throw new ApiError(
          404,
          'not_found',
          `No dead letter ${ids.join(', ')} in destination ${body.destination} of rule "${route.name}" (already requeued?); nothing was requeued`,
          ids.map((id) => ({ field: `ids.${body.ids!.indexOf(id)}`, message: `no dead letter ${id} in this destination` })),
        );
      }
      audit(tx, { actor, action: 'alert_route.requeue', after: { routeId, destination: body.destination, count: ids.length, ids: ids.slice(0, 100) } });
      await tx.flush();
      return { requeued: ids.length, ids };
    });
  }

  /**
   * After a save: each destination that has no position yet (new, or re-entered) starts at the live
   * stream's end now, so what is queued after the save (a test-send at once) reaches it even before the
   * alerting service has read the rule (within ALERTING_POLICY_REFRESH_MS); the state of destinations the
   * save removed goes. Best effort: without it a loop starts at the end when it starts, as before.
   */
  async afterSave(after: StoredRoute, before: StoredRoute | null): Promise<void> {
    const tail = (await this.redis.xrevrange(this.streamKey, '+', '-', 'COUNT', 1)) as Entry[];
    const at = tail[0]?.[0] ?? '0-0';
    for (let i = 0; i < after.destinations.length; i++) await this.redis.set(this.keys(after, i).cursor, at, 'NX');
    const kept = new Set(after.destinations.map((d) => deliveryNameOf(after.id, d)));
    if (before) await this.forget({ ...before, destinations: before.destinations.filter((d) => !kept.has(deliveryNameOf(before.id, d))) });
  }

  /** A deleted rule's (or removed destinations') delivery state goes with it (their loops stop within the alerting refresh). */
  async forget(route: StoredRoute): Promise<void> {
    const keys = route.destinations.flatMap((_, i) => Object.values(this.keys(route, i)));
    if (keys.length) await this.redis.del(...keys);
  }

  private keys(route: StoredRoute, index: number) {
    return deliveryKeys(this.streamKey, deliveryNameOf(route.id, route.destinations[index]));
  }

  private async route(routeId: number, destination?: number): Promise<StoredRoute> {
    const route = await getRoute(this.orm.em.fork(), routeId);
    if (!route) throw notFound(`Routing rule ${routeId}`);
    if (destination !== undefined && destination >= route.destinations.length) {
      throw badRequest(`Routing rule "${route.name}" has ${route.destinations.length} destination(s); destination is an index from 0`, [
        { field: 'destination', message: `must be below ${route.destinations.length}` },
      ]);
    }
    return route;
  }

  private async redisCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable('redis_unavailable', 'Redis, which keeps the dead letters, did not answer', err);
    }
  }
}
