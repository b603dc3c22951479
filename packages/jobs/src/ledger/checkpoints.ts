import type { EntityManager } from '@timekeeper/db';
import type { SlotRef } from './slots';

export type Counts = Record<string, number>;
export type Checkpoint = { chunk: number; cursor: string | null; counts: Counts };

/** Every committed chunk of a slot, in order. A null cursor marks the final chunk. */
export async function readCheckpoints(em: EntityManager, slot: SlotRef): Promise<Checkpoint[]> {
  const rows = await em.execute<Array<{ chunk: number; cursor_after: string | null; counts: Counts }>>(
    'select chunk, cursor_after, counts from job_checkpoints where job_key = ? and nominal_time = ? order by chunk',
    [slot.jobKey, slot.nominalTime],
  );
  return rows.map((r) => ({ chunk: r.chunk, cursor: r.cursor_after, counts: r.counts ?? {} }));
}

/** Inserts the chunk's checkpoint; the unique (slot, chunk) key makes a second commit of it fail. */
export async function writeCheckpoint(tx: EntityManager, slot: SlotRef, cp: Checkpoint, fence: number): Promise<void> {
  await tx.execute(
    'insert into job_checkpoints (job_key, nominal_time, chunk, cursor_after, counts, fence, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    [slot.jobKey, slot.nominalTime, cp.chunk, cp.cursor, JSON.stringify(cp.counts), fence, new Date()],
    'run',
  );
}

export function addCounts(total: Counts, add: Counts): Counts {
  const out = { ...total };
  for (const [k, v] of Object.entries(add)) out[k] = (out[k] ?? 0) + v;
  return out;
}
