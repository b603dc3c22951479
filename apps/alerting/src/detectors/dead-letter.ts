import { readDeadLetters, type OutboxRow } from '@timekeeper/db';
import { SeenSet, type Detector, type DetectorContext } from './context';

// dead_at is stamped by the relay's clock just before its UPDATE commits; re-read this far back so a
// slow commit (or another relay's clock) is never skipped. The seen set keeps re-reads cheap.
const REREAD_MS = 30_000;
const PAGE = 500;
const CURSOR = 'dead-letter';

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const date = (v: unknown): Date | null => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};

/** The job and slot an event came from (its payload, or the alert it describes); the row itself otherwise. */
function origin(row: OutboxRow): { jobKey: string; slot: Date } {
  const p = row.payload;
  const alert = (p.alert ?? {}) as Record<string, unknown>;
  const jobKey = text(p.jobKey) ?? text(alert.jobKey) ?? row.key ?? 'outbox';
  const slot = date(p.slot) ?? date(alert.slot) ?? row.createdAt;
  return { jobKey: jobKey.slice(0, 64), slot };
}

/**
 * Makes every dead-lettered outbox row visible as an `outbox_dead_letter` alert on the job and slot the
 * event came from (one open alert per job and slot; each further row raises its count). Not for the
 * events of these alerts themselves: if the alerts topic refuses them, an alert about that alert would
 * be refused too, forever; the dead-letter gauge still counts them.
 */
export function deadLetterDetector(ctx: DetectorContext, intervalMs: number, alertsTopic: string): Detector {
  const seen = new SeenSet();
  let since: Date | null = null;

  return {
    name: 'dead-letter',
    intervalMs,
    async pass() {
      if (!since) {
        const c = await ctx.cursors.get<{ since: string }>(CURSOR);
        since = c ? new Date(c.since) : new Date(0);
      }
      let after = { deadAt: new Date(since.getTime() - REREAD_MS), id: 0 };
      let newest = since;
      for (;;) {
        const rows = await readDeadLetters(ctx.orm.em.fork(), after, PAGE);
        for (const r of rows) {
          if (r.deadAt! > newest) newest = r.deadAt!;
          // Per death: a row requeued by an operator that dies again is seen (and counted) again.
          const observation = `outbox:${r.id}:${r.deadAt!.getTime()}`;
          if (seen.has(observation)) continue;
          const ownAlert = r.topic === alertsTopic && (r.payload.alert as { kind?: string } | undefined)?.kind === 'outbox_dead_letter';
          if (!ownAlert) {
            const { jobKey, slot } = origin(r);
            await ctx.store.raise({
              jobKey,
              slot,
              kind: 'outbox_dead_letter',
              reason: `${String(r.payload.type ?? 'event')} to ${r.topic} set aside after ${r.failures} refusals: ${r.lastError ?? 'no error'}`,
              observation,
              details: { source: 'outbox', errorType: 'OutboxDeadLetter', errorMessage: `event ${r.eventId} (outbox row ${r.id}, key ${r.key ?? 'none'}): ${r.lastError ?? ''}` },
            });
          }
          seen.add(observation);
        }
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1];
        after = { deadAt: last.deadAt!, id: last.id };
      }
      if (newest > since) {
        since = newest;
        await ctx.cursors.set(CURSOR, { since: newest.toISOString() });
      }
    },
  };
}
