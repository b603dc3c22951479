import { Alert } from '@timekeeper/db';
import type { Detector, DetectorContext } from './context';

// Open critical alerts read per pass (oldest repeat first, so none is starved).
const PAGE = 2_000;

/**
 * Repeats an open critical alert every realertInterval of its job's policy until someone acknowledges
 * (or it resolves): an `alert.realerted` event, which the live stream and the webhooks carry like any
 * other. The interval counts from the alert's last news (raised, repeated or realerted). The write is
 * conditional on the alert being as read, so two passes or instances repeat it once.
 */
export function realertDetector(ctx: DetectorContext, intervalMs: number): Detector {
  return {
    name: 'realert',
    intervalMs,
    async pass() {
      const em = ctx.orm.em.fork();
      const open = await em.find(Alert, { status: 'open', severity: 'critical' }, { orderBy: { id: 'asc' }, limit: PAGE });
      const now = Date.now();
      for (const a of open) {
        const every = (await ctx.policies.of(a.jobKey)).realertIntervalMs;
        if (every === null) continue;
        const lastNews = Math.max(a.lastSeen.getTime(), a.realertedAt?.getTime() ?? 0);
        if (now - lastNews < every) continue;
        if ((await ctx.policies.windowsAt(a.jobKey, new Date(now))).length) continue; // nobody is paged during maintenance
        await ctx.store.realert(a.id, a.realertedAt);
      }
    },
  };
}
