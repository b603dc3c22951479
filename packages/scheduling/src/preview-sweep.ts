import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { PREVIEW_ID_PREFIX } from './throwaway-schedule';

export type PreviewSweepOptions = {
  /** This installation's owner tag: its previews older than `maxAgeMs` are removed. */
  instance: string;
  maxAgeMs: number;
  /** Previews with no owner (made before previews carried one) are removed past this age. */
  unownedMaxAgeMs: number;
  now?: Date;
};

/**
 * Deletes preview schedules left behind (a process that died between create and delete, a delete that
 * failed). A preview lives for one request, so anything minutes old is garbage. Another installation's
 * previews are left to its own sweep. Returns the ids deleted.
 */
export async function sweepStalePreviews(client: Client, opts: PreviewSweepOptions): Promise<string[]> {
  const now = (opts.now ?? new Date()).getTime();
  const candidates: Array<{ id: string; maxAgeMs: number }> = [];
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(PREVIEW_ID_PREFIX)) continue;
    const owner = s.memo?.instance;
    if (owner === opts.instance) candidates.push({ id: s.scheduleId, maxAgeMs: opts.maxAgeMs });
    else if (owner === undefined) candidates.push({ id: s.scheduleId, maxAgeMs: opts.unownedMaxAgeMs });
  }
  const deleted: string[] = [];
  for (const { id, maxAgeMs } of candidates) {
    const handle = client.schedule.getHandle(id);
    try {
      const { info } = await handle.describe();
      if (now - info.createdAt.getTime() <= maxAgeMs) continue;
      await handle.delete();
      deleted.push(id);
    } catch (err) {
      // Deleted meanwhile by the request that made it: nothing left to do.
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  return deleted;
}
