import { writeOutboxFromSelect } from '@timekeeper/db';
import type { JobDeps } from '../deps';
import type { ChunkedJob } from '../runner/chunked';
import { parseParams } from './params';

export const profileKey = (userId: number | string) => `tk:profile:${userId}`;
const DAY_MS = 86_400_000;

/** The spend window of a slot: the `windowDays` before its nominal time. */
export function spendWindow(slot: Date, windowDays: number): { from: Date; to: Date } {
  return { from: new Date(slot.getTime() - windowDays * DAY_MS), to: slot };
}

/**
 * Recomputes VIP tiers chunk by chunk (keyset on users.id). Each chunk is three set-based statements
 * in the chunk's transaction: the changed users' history rows (spend -> tier by threshold, only where
 * the tier differs), the users' new tiers joined from that history, and one `vip.tier_changed` outbox
 * row per change. The changed users' cached profiles are dropped before and after the commit.
 */
export function vipRecalculationJob(deps: JobDeps): ChunkedJob {
  return {
    kind: 'vip-recalculation',
    // Users scanned of all users (the keyset walks the whole table).
    progress: {
      async estimate({ em }) {
        const [row] = await em.execute<Array<{ n: number }>>('select count(*) as n from users');
        return { unit: 'users', total: Number(row?.n ?? 0) };
      },
      done: (s) => s.counts.users ?? 0,
    },
    async step({ tx, cursor, slot, input }) {
      const p = parseParams('vip-recalculation', input.params);
      const lo = cursor === null ? 0 : Number(cursor);
      const [bound] = await tx.execute<Array<{ hi: number | null; n: number }>>(
        'select max(id) as hi, count(*) as n from (select id from users where id > ? order by id limit ?) c',
        [lo, p.chunkSize],
      );
      const hi = bound?.hi === null || bound?.hi === undefined ? null : Number(bound.hi);
      if (hi === null) return { cursor: null, counts: { users: 0, changed: 0 } };
      const scanned = Number(bound.n);
      const { from, to } = spendWindow(slot, p.windowDays);
      const inserted = await tx.execute<{ affectedRows: number }>(
        `insert into tier_changes (user_id, from_tier, to_tier, spend, job_key, slot, changed_at)
         select x.id, x.tier, x.new_tier, x.spend, ?, ?, ?
         from (
           select s.id, s.tier, s.spend,
             (select t.tier from vip_tiers t where t.min_spend <= s.spend order by t.min_spend desc limit 1) as new_tier
           from (
             select u.id, u.tier, coalesce(sum(o.amount), 0) as spend
             from users u
             left join orders o on o.user_id = u.id and o.status = 'paid' and o.created_at >= ? and o.created_at < ?
             where u.id > ? and u.id <= ?
             group by u.id, u.tier
           ) s
         ) x
         where x.new_tier <> x.tier`,
        [input.jobKey, slot, slot, from, to, lo, hi],
        'run',
      );
      const changed = inserted.affectedRows;
      let changedIds: number[] = [];
      if (changed > 0) {
        await tx.execute(
          `update users u join tier_changes c on c.job_key = ? and c.slot = ? and c.user_id = u.id
           set u.tier = c.to_tier, u.tier_updated_at = ?
           where u.id > ? and u.id <= ?`,
          [input.jobKey, slot, slot, lo, hi],
          'run',
        );
        // One event per changed user (key = user id), so no order among them is needed.
        await writeOutboxFromSelect(tx, {
          topic: deps.eventsTopic,
          type: 'vip.tier_changed',
          select: `select cast(c.user_id as char) as \`key\`,
                     json_object('userId', c.user_id, 'fromTier', c.from_tier, 'toTier', c.to_tier, 'spend', c.spend,
                                 'windowDays', ?, 'jobKey', c.job_key, 'slot', ?) as payload
                   from tier_changes c
                   where c.job_key = ? and c.slot = ? and c.user_id > ? and c.user_id <= ?`,
          params: [p.windowDays, slot.toISOString(), input.jobKey, slot, lo, hi],
        });
        const rows = await tx.execute<Array<{ user_id: number }>>(
          'select user_id from tier_changes where job_key = ? and slot = ? and user_id > ? and user_id <= ?',
          [input.jobKey, slot, lo, hi],
        );
        changedIds = rows.map((r) => Number(r.user_id));
        // Dropped before the commit too, so no reader caches the old tier for long after it.
        await invalidateProfiles(deps, changedIds);
      }
      return {
        // A short chunk was the last one; no need for an empty chunk to find that out.
        cursor: scanned < p.chunkSize ? null : String(hi),
        counts: { users: scanned, changed },
        afterCommit: changedIds.length ? () => invalidateProfiles(deps, changedIds) : undefined,
      };
    },
  };
}

async function invalidateProfiles(deps: JobDeps, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1_000) {
    await deps.redis.unlink(...ids.slice(i, i + 1_000).map(profileKey));
  }
}
