import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { MaintenanceWindowInputSchema, type MaintenanceWindowDto, type MaintenanceWindowInput } from '@timekeeper/contracts';
import { parse } from 'yaml';
import { badRequest } from '../errors';
import type { MaintenanceWindows } from './maintenance-windows';

export type WindowSyncResult = { created: string[]; updated: string[]; deleted: string[]; unchanged: string[]; skipped: string[] };

/** The file's optional top-level `maintenanceWindows:` list, checked; a 400-style error names the entry and field. */
export async function readWindowsFile(path: string): Promise<MaintenanceWindowInput[]> {
  const doc = parse(await readFile(path, 'utf8')) as { maintenanceWindows?: unknown } | null;
  const list = doc?.maintenanceWindows;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest(`${path}: "maintenanceWindows:" must be a list`);
  return list.map((entry, i) => {
    const error = Value.Errors(MaintenanceWindowInputSchema, entry).First();
    if (error) {
      const field = error.path.split('/').filter(Boolean).join('.') || 'entry';
      throw badRequest(`${path}: maintenanceWindows[${i}] ${field}: ${error.message}`, [{ field: `maintenanceWindows[${i}].${field}`, message: error.message }]);
    }
    return entry as MaintenanceWindowInput;
  });
}

/** What an entry says, in the stored window's terms (so unchanged entries write nothing). */
const comparable = (w: MaintenanceWindowInput | MaintenanceWindowDto) =>
  JSON.stringify([
    w.name,
    w.reason,
    [...(w.jobs ?? [])].sort(),
    [...(w.tags ?? [])].sort(),
    w.mode ?? 'pause',
    w.from ? new Date(w.from).toISOString() : null,
    w.to ? new Date(w.to).toISOString() : null,
    w.cron ?? null,
    w.duration ?? null,
    w.timezone ?? null,
  ]);

/**
 * Makes the config-managed windows match the file (by name): creates, updates, and deletes the ones no
 * longer listed. Windows made in the console or the API are left alone (an entry with such a name is
 * skipped). Audited like any change, by `config`. Run after the jobs (a window may name them).
 */
export async function syncWindowsFile(windows: MaintenanceWindows, path: string): Promise<WindowSyncResult> {
  const entries = await readWindowsFile(path);
  const result: WindowSyncResult = { created: [], updated: [], deleted: [], unchanged: [], skipped: [] };
  const existing = new Map((await windows.list()).map((w) => [w.name, w]));
  for (const entry of entries) {
    const current = existing.get(entry.name);
    const full: MaintenanceWindowInput = { ...entry, jobs: entry.jobs ?? [], tags: entry.tags ?? [], mode: entry.mode ?? 'pause' };
    if (!current) {
      await windows.create(full, 'config', 'config');
      result.created.push(entry.name);
    } else if (current.managedBy !== 'config') result.skipped.push(entry.name);
    else if (comparable(current) === comparable(full)) result.unchanged.push(entry.name);
    else {
      await windows.update(current.id, full, 'config', { asConfig: true });
      result.updated.push(entry.name);
    }
  }
  const listed = new Set(entries.map((e) => e.name));
  for (const w of existing.values()) {
    if (w.managedBy === 'config' && !listed.has(w.name)) {
      await windows.remove(w.id, 'config', { asConfig: true });
      result.deleted.push(w.name);
    }
  }
  return result;
}
