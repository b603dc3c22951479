import type { EntityManager } from '@mikro-orm/mariadb';
import { formatDuration, parseDuration, type MaintenanceWindowDto, type WindowMode } from '@timekeeper/contracts';
import { utcDate, type RawDate } from '../raw-date';

// Maintenance windows as stored; the API writes them (audited), the alerting holder applies them.

type Row = {
  id: number | string;
  name: string;
  reason: string;
  jobs: string[] | string;
  tags: string[] | string;
  mode: WindowMode;
  starts_at: RawDate;
  ends_at: RawDate;
  cron: string | null;
  duration_ms: number | string | null;
  timezone: string | null;
  ended_at: RawDate;
  managed_by: 'console' | 'config';
  created_by: string;
  updated_by: string;
  created_at: RawDate;
  updated_at: RawDate;
};

/** A window's stored fields (one-off: startsAt/endsAt; recurring: cron/durationMs/timezone). */
export type WindowRecord = {
  name: string;
  reason: string;
  jobs: string[];
  tags: string[];
  mode: WindowMode;
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMs: number | null;
  timezone: string | null;
  endedAt: Date | null;
  managedBy: 'console' | 'config';
};

const json = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);
const iso = (v: RawDate): string | null => utcDate(v)?.toISOString() ?? null;

export function windowView(r: Row): MaintenanceWindowDto {
  return {
    id: Number(r.id),
    name: r.name,
    reason: r.reason,
    jobs: json(r.jobs),
    tags: json(r.tags),
    mode: r.mode,
    from: iso(r.starts_at),
    to: iso(r.ends_at),
    cron: r.cron,
    duration: r.duration_ms === null ? null : formatDuration(Number(r.duration_ms)),
    timezone: r.timezone,
    endedAt: iso(r.ended_at),
    managedBy: r.managed_by,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** The record behind a stored window (for edits). */
export function windowRecordOf(w: MaintenanceWindowDto): WindowRecord {
  return {
    name: w.name,
    reason: w.reason,
    jobs: w.jobs,
    tags: w.tags,
    mode: w.mode,
    startsAt: w.from ? new Date(w.from) : null,
    endsAt: w.to ? new Date(w.to) : null,
    cron: w.cron,
    durationMs: w.duration ? parseDuration(w.duration) : null,
    timezone: w.timezone,
    endedAt: w.endedAt ? new Date(w.endedAt) : null,
    managedBy: w.managedBy,
  };
}

const COLUMNS = 'id, name, reason, jobs, tags, mode, starts_at, ends_at, cron, duration_ms, timezone, ended_at, managed_by, created_by, updated_by, created_at, updated_at';

export async function listWindows(em: EntityManager): Promise<MaintenanceWindowDto[]> {
  return (await em.execute<Row[]>(`select ${COLUMNS} from maintenance_windows order by id`)).map(windowView);
}

export async function getWindow(em: EntityManager, by: { id: number } | { name: string }, lock = false): Promise<MaintenanceWindowDto | null> {
  const [col, val] = 'id' in by ? ['id', by.id] : ['name', by.name];
  const rows = await em.execute<Row[]>(`select ${COLUMNS} from maintenance_windows where ${col} = ?${lock ? ' for update' : ''}`, [val]);
  return rows[0] ? windowView(rows[0]) : null;
}

const values = (w: WindowRecord) => [
  w.name,
  w.reason,
  JSON.stringify(w.jobs),
  JSON.stringify(w.tags),
  w.mode,
  w.startsAt,
  w.endsAt,
  w.cron,
  w.durationMs,
  w.timezone,
  w.endedAt,
  w.managedBy,
];

export async function insertWindow(em: EntityManager, w: WindowRecord, actor: string): Promise<number> {
  const now = new Date();
  const res = await em.execute<{ insertId?: number | bigint }>(
    `insert into maintenance_windows (name, reason, jobs, tags, mode, starts_at, ends_at, cron, duration_ms, timezone, ended_at, managed_by, created_by, updated_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...values(w), actor, actor, now, now],
    'run',
  );
  return Number(res.insertId);
}

export async function updateWindow(em: EntityManager, id: number, w: WindowRecord, actor: string): Promise<void> {
  await em.execute(
    `update maintenance_windows set name = ?, reason = ?, jobs = ?, tags = ?, mode = ?, starts_at = ?, ends_at = ?, cron = ?, duration_ms = ?, timezone = ?,
       ended_at = ?, managed_by = ?, updated_by = ?, updated_at = ? where id = ?`,
    [...values(w), actor, new Date(), id],
    'run',
  );
}

export async function deleteWindow(em: EntityManager, id: number): Promise<void> {
  await em.execute('delete from maintenance_windows where id = ?', [id], 'run');
}
