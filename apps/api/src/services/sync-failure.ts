/**
 * What a job's `syncError` says when a schedule could not be pushed to Temporal: a fixed sentence naming
 * what is wrong and what happens next. Temporal's own error text (addresses, internal states, gRPC
 * details) stays in the API's log; clients see only these.
 */
export const SYNC_FAILURE = {
  unreachable: 'Temporal did not answer; the change is pushed again automatically.',
  overloaded: 'Temporal is busy and asked us to slow down; the change is pushed again automatically.',
  refused: 'Temporal refused the schedule; the API log has the details.',
  forbidden: 'The API may not change schedules in Temporal (check its namespace and credentials).',
  invalidCron: 'The stored cron expression is not valid; edit the job.',
  other: 'Temporal could not apply the schedule; it is retried automatically and the API log has the details.',
} as const;

/** Thrown by the syncer when a stored cron no longer parses (nothing was sent to Temporal). */
export class StoredCronInvalid extends Error {}

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html).
const GRPC = { CANCELLED: 1, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16 };

/** The first gRPC status code on the error or its causes (Temporal's client wraps gRPC errors). */
function grpcCode(err: unknown): number | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return null;
}

/** The fixed `syncError` for a failed push. */
export function syncFailureMessage(err: unknown): string {
  if (err instanceof StoredCronInvalid) return SYNC_FAILURE.invalidCron;
  switch (grpcCode(err)) {
    case GRPC.CANCELLED:
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.UNAVAILABLE:
      return SYNC_FAILURE.unreachable;
    case GRPC.RESOURCE_EXHAUSTED:
      return SYNC_FAILURE.overloaded;
    case GRPC.INVALID_ARGUMENT:
    case GRPC.FAILED_PRECONDITION:
    case GRPC.ALREADY_EXISTS:
      return SYNC_FAILURE.refused;
    case GRPC.PERMISSION_DENIED:
    case GRPC.UNAUTHENTICATED:
      return SYNC_FAILURE.forbidden;
    case null:
      // No gRPC status: the connection itself failed before any call (refused, reset, DNS).
      return /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|connect|deadline|timed? ?out/i.test(String((err as Error)?.message ?? err))
        ? SYNC_FAILURE.unreachable
        : SYNC_FAILURE.other;
    default:
      return SYNC_FAILURE.other;
  }
}

const KNOWN: ReadonlySet<string> = new Set(Object.values(SYNC_FAILURE));

/**
 * A stored `sync_error` as clients may see it: one of the fixed sentences above. Anything else (raw
 * text an older API version stored) is shown as the generic sentence until the next push replaces it.
 */
export function publicSyncError(stored: string | null): string | null {
  if (stored === null) return null;
  return KNOWN.has(stored) ? stored : SYNC_FAILURE.other;
}
