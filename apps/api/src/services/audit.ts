import { AuditEntry, type EntityManager } from '@timekeeper/db';

/** Queues an audit entry in the caller's unit of work, so it commits (or not) with the change it records. */
export function audit(
  em: EntityManager,
  entry: { actor: string; action: string; jobKey?: string | null; before?: object | null; after?: object | null; note?: string | null },
): void {
  em.persist(
    Object.assign(new AuditEntry(), {
      actor: entry.actor,
      action: entry.action,
      jobKey: entry.jobKey ?? null,
      before: (entry.before as Record<string, unknown>) ?? null,
      after: (entry.after as Record<string, unknown>) ?? null,
      note: entry.note ?? null,
    }),
  );
}
