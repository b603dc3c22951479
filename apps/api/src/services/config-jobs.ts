import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { CreateJobBody } from '@timekeeper/contracts';
import { JobDefinition, type MikroORM } from '@timekeeper/db';
import type { Logger } from '@timekeeper/runtime';
import { parse } from 'yaml';
import { badRequest } from '../errors';
import type { JobCommands } from './job-commands';
import { applyToEntity, definitionOf, mergeDefinition } from './job-mapper';
import { validateDefinition } from './job-validation';

export type ConfigSyncResult = { created: string[]; updated: string[]; deleted: string[]; unchanged: string[]; skipped: string[] };

/** Reads and checks the file; throws a 400-style error naming the entry and field at fault. */
export async function readJobsFile(path: string): Promise<CreateJobBody[]> {
  const doc = parse(await readFile(path, 'utf8')) as { jobs?: unknown };
  if (!doc || !Array.isArray(doc.jobs)) throw badRequest(`${path}: expected a top-level "jobs:" list`);
  return doc.jobs.map((entry, i) => {
    const error = Value.Errors(CreateJobBody, entry).First();
    if (error) {
      const field = error.path.split('/').filter(Boolean).join('.') || 'entry';
      throw badRequest(`${path}: jobs[${i}] ${field}: ${error.message}`, [{ field: `jobs[${i}].${field}`, message: error.message }]);
    }
    return entry as CreateJobBody;
  });
}

/**
 * Makes MySQL (and so Temporal) match the file: creates new entries, updates changed ones, deletes
 * config-managed jobs no longer listed. Jobs created in the console are never touched; an entry with
 * the key of such a job is skipped with a warning. Pause state belongs to operators and is kept.
 */
export async function syncJobsFile(orm: MikroORM, commands: JobCommands, path: string, logger: Logger): Promise<ConfigSyncResult> {
  const entries = await readJobsFile(path);
  const result: ConfigSyncResult = { created: [], updated: [], deleted: [], unchanged: [], skipped: [] };
  const existing = new Map((await orm.em.fork().find(JobDefinition, { deletedAt: null })).map((j) => [j.key, j]));
  for (const entry of entries) {
    const current = existing.get(entry.key);
    if (!current) {
      await commands.create(entry, 'config', 'config');
      result.created.push(entry.key);
    } else if (current.managedBy !== 'config') {
      logger.warn({ jobKey: entry.key }, 'config/jobs.yaml names a job created in the console; leaving it alone');
      result.skipped.push(entry.key);
    } else {
      const after = mergeDefinition(undefined, entry);
      const { params } = validateDefinition(after, entry);
      // Compared as stored, so "0s" in the file and "0ms" read back are the same jitter.
      const asStored = new JobDefinition();
      applyToEntity(asStored, { ...after, params });
      if (stableJson(definitionOf(current)) === stableJson(definitionOf(asStored))) {
        result.unchanged.push(entry.key);
      } else {
        const { key: _key, ...patch } = entry;
        await commands.update(entry.key, current.version, patch, 'config', { fromConfig: true });
        result.updated.push(entry.key);
      }
    }
  }
  const listed = new Set(entries.map((e) => e.key));
  for (const job of existing.values()) {
    if (job.managedBy === 'config' && !listed.has(job.key)) {
      await commands.remove(job.key, 'config', { fromConfig: true });
      result.deleted.push(job.key);
    }
  }
  return result;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
