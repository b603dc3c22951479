import { JobDefinition, raw, type FilterQuery, type MikroORM } from '@timekeeper/db';
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

  async list(q: JobListQuery): Promise<{ items: JobDefinition[]; nextCursor: string | null }> {
    const sort = q.sort ?? 'key';
    const field = sort.replace('-', '') as 'key' | 'name' | 'updatedAt';
    const dir = sort.startsWith('-') ? 'desc' : 'asc';
    const limit = Math.min(q.limit ?? 50, 200);
    const and: FilterQuery<JobDefinition>[] = [{ deletedAt: null }];
    if (q.kind) and.push({ kind: q.kind });
    if (q.paused !== undefined) and.push({ paused: q.paused });
    // Bound parameter: the tag never becomes SQL text.
    if (q.tag) and.push({ [raw('json_contains(`tags`, ?)', [JSON.stringify(q.tag)])]: 1 } as FilterQuery<JobDefinition>);
    if (q.text) {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      and.push({ $or: [{ key: { $like: like } }, { name: { $like: like } }, { description: { $like: like } }] });
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      const v = field === 'updatedAt' ? new Date(c.v) : c.v;
      const op = dir === 'asc' ? '$gt' : '$lt';
      and.push({ $or: [{ [field]: { [op]: v } }, { [field]: v, id: { [op]: c.id } }] } as FilterQuery<JobDefinition>);
    }
    const rows = await this.orm.em.fork().find(JobDefinition, { $and: and }, { orderBy: [{ [field]: dir }, { id: dir }], limit: limit + 1 });
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
