import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { Alert } from '../types';

export type AlertAction = 'ack' | 'resolve';
export type AlertActionInput = { id: Alert['id']; action: AlertAction; note?: string };

export const updateAlert = ({ id, action, note }: AlertActionInput) =>
  api<Alert | undefined>(`/v1/alerts/${encodeURIComponent(String(id))}/${action}`, { method: 'POST', body: note ? { note } : {} });

export function useUpdateAlert() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateAlert,
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.alerts }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}
