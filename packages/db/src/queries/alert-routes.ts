import type { EntityManager } from '@mikro-orm/mariadb';
import type { AlertRouteDto, AlertRouteInput, AlertRouteMatch, DestinationInput } from '@timekeeper/contracts';
import { utcDate, type RawDate } from '../raw-date';

// Routing rules as stored (destinations with their secrets: only the alerting holder reads those).

export type StoredRoute = { id: number; name: string; match: AlertRouteMatch; destinations: DestinationInput[]; enabled: boolean; updatedBy: string; updatedAt: Date };

type Row = { id: number | string; name: string; match: AlertRouteMatch | string; destinations: DestinationInput[] | string; enabled: number | boolean; updated_by: string; updated_at: RawDate };

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

export async function saveRoute(em: EntityManager, r: AlertRouteInput, actor: string, id?: number): Promise<number> {
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

/** A rule as the API shows it: secrets never, a Slack URL (a secret itself) only as its origin. */
export function routeView(r: StoredRoute): AlertRouteDto {
  return {
    id: r.id,
    name: r.name,
    match: r.match,
    destinations: r.destinations.map((d) => ({ type: d.type, url: d.type === 'slack' ? `${new URL(d.url).origin}/…` : d.url, signed: d.type === 'webhook' })),
    enabled: r.enabled,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
  };
}
