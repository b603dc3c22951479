import type { EntityManager } from '@mikro-orm/mariadb';
import { JobDefinition } from '../entities/job-definition';
import { selectRows } from './rows';

export const JOB_LIST_SORT_FIELDS = ['key', 'name', 'updatedAt'] as const;
export type JobListSortField = (typeof JOB_LIST_SORT_FIELDS)[number];

export type JobListFilter = {
  kind?: string;
  paused?: boolean;
  /** Jobs carrying this tag. */
  tag?: string;
  /** Substring of the key, name or description. */
  text?: string;
  sort: { field: JobListSortField; dir: 'asc' | 'desc' };
  /** Keyset position: rows after (field value, id) in the sort order. */
  after?: { value: string | Date; id: number };
  limit: number;
};

// Column names for the sortable fields; the only names that reach the SQL text from a query.
const COLUMN: Record<JobListSortField, string> = { key: '`key`', name: 'name', updatedAt: 'updated_at' };

/**
 * Live job definitions, filtered and sorted with keyset pagination, as plain rows (selectRows: this
 * is the API's busiest read). Every value is a bound parameter.
 */
export async function listJobRows(em: EntityManager, f: JobListFilter): Promise<Readonly<JobDefinition>[]> {
  const where = ['deleted_at is null'];
  const params: unknown[] = [];
  const and = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (f.kind) and('kind = ?', f.kind);
  if (f.paused !== undefined) and('paused = ?', f.paused);
  if (f.tag) and('json_contains(tags, ?)', JSON.stringify(f.tag));
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    and('(`key` like ? or name like ? or description like ?)', like, like, like);
  }
  const col = COLUMN[f.sort.field];
  const dir = f.sort.dir === 'desc' ? 'desc' : 'asc';
  if (f.after) {
    const op = dir === 'asc' ? '>' : '<';
    and(`(${col} ${op} ? or (${col} = ? and id ${op} ?))`, f.after.value, f.after.value, f.after.id);
  }
  return selectRows(em, JobDefinition, `select * from job_definitions where ${where.join(' and ')} order by ${col} ${dir}, id ${dir} limit ?`, [...params, f.limit]);
}
