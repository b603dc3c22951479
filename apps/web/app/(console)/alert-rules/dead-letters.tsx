'use client';
import { ListTable } from '@/components/list-table';
import { useToast } from '@/components/toasts';
import { useDeadLetters, useRequeue } from '@/lib/api/alerting/alerting';
import { useCan } from '@/lib/api/me/get-me';
import type { AlertRoute } from '@/lib/api/types';
import { formatInZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';

/** A rule's dead letters: events a destination never accepted; operators send them again (one or all of a destination). */
export function DeadLetters({ rule }: { rule: AlertRoute }) {
  const letters = useDeadLetters(rule.id, true);
  const requeue = useRequeue();
  const can = useCan();
  const toast = useToast();
  const zone = useViewerZone();
  const items = letters.data?.items ?? [];
  const send = (destination: number, ids?: string[]) =>
    requeue.mutate(
      { routeId: rule.id, destination, ids },
      { onSuccess: (r) => toast(`Requeued ${r.requeued} event(s)`), onError: (e) => toast(`Not requeued: ${e.message}`, 'error') },
    );
  const destinationsWithLetters = [...new Set(items.map((l) => l.destination))].sort();
  return (
    <div data-testid="dead-letters" style={{ padding: '4px 0 8px 24px' }}>
      {can.operate && destinationsWithLetters.length > 0 && (
        <div className="row" style={{ gap: 6, marginBottom: 6 }}>
          {destinationsWithLetters.map((d) => (
            <button key={d} type="button" className="btn small" disabled={requeue.isPending} onClick={() => send(d)} data-testid="requeue-all">
              Requeue all of destination {d + 1}
            </button>
          ))}
        </div>
      )}
      <ListTable
        query={letters}
        label="Loading dead letters"
        testId="dead-letters-table"
        columns={['Destination', 'Dead since', 'Event', 'Last error', '']}
        empty={letters.data && !items.length ? 'No dead letters: every destination accepted what it was sent.' : null}
      >
        {items.map((l) => (
          <tr key={`${l.destination}/${l.id}`} data-testid="dead-letter-row" data-event={l.eventId ?? ''}>
            <td>
              {l.destination + 1}. {rule.destinations[l.destination]?.type ?? '?'}
            </td>
            <td className="nowrap">{formatInZone(l.deadAt, zone, { seconds: true })}</td>
            <td>
              {l.alert ? `${l.type ?? 'alert'} · ${l.alert.kind} · ${l.alert.jobKey}` : 'unreadable event'}
              {l.alert && <div className="cell-sub">slot {formatInZone(l.alert.slot, zone)}</div>}
            </td>
            <td>
              {l.error}
              <div className="cell-sub">after {l.attempts} attempt(s)</div>
            </td>
            <td style={{ textAlign: 'right' }}>
              {can.operate && (
                <button type="button" className="btn small" disabled={requeue.isPending} onClick={() => send(l.destination, [l.id])} data-testid="requeue">
                  Requeue
                </button>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
