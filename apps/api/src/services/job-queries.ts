import { JobDefinition, listJobRows, type JobListSortField, type MikroORM } from '@timekeeper/db';
import { badRequest, notFound } from '../errors';

export const JOB_SORTS = ['key', '-key', 'name', '-name', 'updatedAt', '-updatedAt'] as const;
export type JobSort = (typeof JOB_SORTS)[number];
export type JobListQuery = { tag?: string; kind?: string; paused?: boolean; text?: string; sort?: JobSort; limit?: number; cursor?: string };

type Cursor = { v: string | number; id: number };

/** Reads of job definitions: one by key, and a filtered list with keyset (cursor) pagination. */
export class JobQueries {
  constructor(private readonly orm: MikroORM) {}

  async get(key: string): Promise<JobDefinition> {
    const job = await this.orm.em.fork().findOne(JobDefinition, { key, deletedAt: null });
    if (!job) throw notFound(`Job "${key}"`);
    return job;
  }

  /** The live jobs among these keys (any order); keys with no live job are left out. */
  async getMany(keys: readonly string[]): Promise<JobDefinition[]> {
    return this.orm.em.fork().find(JobDefinition, { key: { $in: [...keys] }, deletedAt: null });
  }

  /** 404 unless a live job has this key: one indexed plain SELECT (the run listing's and stats' check, no entity). */
  async mustExist(key: string): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<unknown[]>('select 1 from job_definitions where `key` = ? and deleted_at is null limit 1', [key]);
    if (rows.length === 0) throw notFound(`Job "${key}"`);
  }

  /**
   * 404 unless the key names a live job or a job with history in the ledger: a deleted job's runs stay
   * readable (until retention removes them). Two indexed lookups in one statement.
   */
  async mustHaveRuns(key: string): Promise<void> {
    const rows = await this.orm.em
      .getConnection()
      .execute<unknown[]>('select 1 from job_definitions where `key` = ? and deleted_at is null union all (select 1 from job_slots where job_key = ? limit 1) limit 1', [key, key]);
    if (rows.length === 0) throw notFound(`Job "${key}"`);
  }

  /** A page as plain rows (no entity hydration: this is the API's busiest read, see listJobRows). */
  async list(q: JobListQuery): Promise<{ items: Readonly<JobDefinition>[]; nextCursor: string | null }> {
    const sort = q.sort ?? 'key';
    const field = sort.replace('-', '') as JobListSortField;
    const dir = sort.startsWith('-') ? 'desc' : 'asc';
    const limit = Math.min(q.limit ?? 50, 200);
    const c = q.cursor ? decodeCursor(q.cursor) : undefined;
    const after = c ? { value: field === 'updatedAt' ? new Date(c.v) : String(c.v), id: c.id } : undefined;
    // No fork: a plain SELECT touches no identity map.
    const rows = await listJobRows(this.orm.em, { kind: q.kind, paused: q.paused, tag: q.tag, text: q.text, sort: { field, dir }, after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify({ v: field === 'updatedAt' ? last.updatedAt.getTime() : last[field], id: last.id })).toString('base64url')
        : null;
    return { items, nextCursor };
  }
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if ((typeof c.v === 'string' || typeof c.v === 'number') && Number.isInteger(c.id)) return c;
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('cursor is not one this API issued', [{ field: 'cursor', message: 'invalid cursor' }]);
}
