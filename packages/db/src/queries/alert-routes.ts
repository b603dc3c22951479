import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mariadb';
import type { AlertRouteDto, AlertRouteMatch, Destination } from '@timekeeper/contracts';
import { utcDate, type RawDate } from '../raw-date';
import { SecretBoxError, type SecretBox } from '../secret-box';

// Routing rules as stored. A destination's secret part (a webhook's HMAC key, a Slack URL) is sealed
// with the installation's secrets key (SecretBox): the API seals, only the alerting holder opens.

/**
 * A destination in `alert_routes.destinations`: sealed, or (rows written before sealing, until the API
 * seals them at start: sealPlainDestinations) plain.
 */
export type StoredDestination = { type: 'webhook'; url: string; sealedSecret: string } | { type: 'slack'; origin: string; sealedUrl: string } | Destination;

export type StoredRoute = { id: number; name: string; match: AlertRouteMatch; destinations: StoredDestination[]; enabled: boolean; updatedBy: string; updatedAt: Date };
export type RouteRecord = { name: string; match: AlertRouteMatch; destinations: StoredDestination[]; enabled?: boolean };

type Row = { id: number | string; name: string; match: AlertRouteMatch | string; destinations: StoredDestination[] | string; enabled: number | boolean; updated_by: string; updated_at: RawDate };

const isPlain = (d: StoredDestination): d is Destination => !('sealedSecret' in d) && !('sealedUrl' in d);

export function sealDestination(d: Destination, box: SecretBox): StoredDestination {
  return d.type === 'webhook' ? { type: 'webhook', url: d.url, sealedSecret: box.seal(d.secret) } : { type: 'slack', origin: new URL(d.url).origin, sealedUrl: box.seal(d.url) };
}

/**
 * The name of a destination's delivery loop (its cursor, dead letters and requeue, see deliveryKeys):
 * `route-<id>-<digest of the destination as stored>`. A destination kept through an edit keeps its name
 * (and so its position and dead letters) wherever it moves in the list; a new or re-entered one (its secret
 * sealed afresh) gets a new one, so nothing of another destination is ever sent to it.
 */
export function deliveryNameOf(routeId: number, d: StoredDestination): string {
  return `route-${routeId}-${createHash('sha256').update(JSON.stringify(d)).digest('hex').slice(0, 16)}`;
}

/** A destination ready to deliver to; throws SecretBoxError for a sealed one without the key that sealed it. */
export function openDestination(d: StoredDestination, box: SecretBox | null): Destination {
  if (isPlain(d)) return d;
  if (!box) throw new SecretBoxError('DESTINATION_SECRETS_KEY is not set, so a sealed destination secret cannot be opened');
  return 'sealedSecret' in d ? { type: 'webhook', url: d.url, secret: box.open(d.sealedSecret) } : { type: 'slack', url: box.open(d.sealedUrl) };
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const toRoute = (r: Row): StoredRoute => ({
  id: Number(r.id),
  name: r.name,
  match: parsed(r.match),
  destinations: parsed(r.destinations),
  enabled: !!Number(r.enabled),
  updatedBy: r.updated_by,
  updatedAt: utcDate(r.updated_at)!,
});

export async function listRoutes(em: EntityManager): Promise<StoredRoute[]> {
  return (await em.execute<Row[]>('select id, name, `match`, destinations, enabled, updated_by, updated_at from alert_routes order by id')).map(toRoute);
}

export async function getRoute(em: EntityManager, id: number, lock = false): Promise<StoredRoute | null> {
  const rows = await em.execute<Row[]>(`select id, name, \`match\`, destinations, enabled, updated_by, updated_at from alert_routes where id = ?${lock ? ' for update' : ''}`, [id]);
  return rows[0] ? toRoute(rows[0]) : null;
}

export async function routeNamed(em: EntityManager, name: string): Promise<number | null> {
  const rows = await em.execute<Array<{ id: number | string }>>('select id from alert_routes where name = ?', [name]);
  return rows[0] ? Number(rows[0].id) : null;
}

export async function saveRoute(em: EntityManager, r: RouteRecord, actor: string, id?: number): Promise<number> {
  const values = [r.name, JSON.stringify(r.match), JSON.stringify(r.destinations), r.enabled ?? true, actor, new Date()];
  if (id !== undefined) {
    await em.execute('update alert_routes set name = ?, `match` = ?, destinations = ?, enabled = ?, updated_by = ?, updated_at = ? where id = ?', [...values, id], 'run');
    return id;
  }
  const res = await em.execute<{ insertId?: number | bigint }>('insert into alert_routes (name, `match`, destinations, enabled, updated_by, updated_at) values (?, ?, ?, ?, ?, ?)', values, 'run');
  return Number(res.insertId);
}

export async function deleteRoute(em: EntityManager, id: number): Promise<void> {
  await em.execute('delete from alert_routes where id = ?', [id], 'run');
}

/**
 * Seals the destinations of rows written before secrets were sealed (run by the API at start with the
 * key). One transaction holding the rows it rewrites, and a destination already sealed is left alone,
 * so it can run any number of times, by several API processes at once. Returns how many rules it sealed.
 */
export async function sealPlainDestinations(em: EntityManager, box: SecretBox): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = (await tx.execute<Row[]>('select id, name, `match`, destinations, enabled, updated_by, updated_at from alert_routes order by id for update')).map(toRoute);
    let sealed = 0;
    for (const route of rows) {
      if (!route.destinations.some(isPlain)) continue;
      const next = route.destinations.map((d) => (isPlain(d) ? sealDestination(d, box) : d));
      await tx.execute('update alert_routes set destinations = ? where id = ?', [JSON.stringify(next), route.id], 'run');
      sealed++;
    }
    return sealed;
  });
}

/** How many rules still hold a destination in plain text (the API warns while there are some and no key). */
export async function countPlainDestinations(em: EntityManager): Promise<number> {
  return (await listRoutes(em)).filter((r) => r.destinations.some(isPlain)).length;
}

/** A rule as the API shows it: secrets never, a Slack URL (a secret itself) only as its origin. */
export function routeView(r: StoredRoute): AlertRouteDto {
  return {
    id: r.id,
    name: r.name,
    match: r.match,
    destinations: r.destinations.map((d) => ({
      type: d.type,
      url: d.type === 'webhook' ? d.url : `${'origin' in d ? d.origin : new URL(d.url).origin}/…`,
      signed: d.type === 'webhook',
    })),
    enabled: r.enabled,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
  };
}
