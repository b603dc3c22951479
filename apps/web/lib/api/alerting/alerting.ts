import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { AlertPolicy, AlertRoute, AlertRouteBody, Baseline, DeadLetters, MaintenanceWindow, MaintenanceWindowBody, PolicySettings } from '../types';

// Duration baselines, routing rules and maintenance windows (issue 14): reads and the changes the pages make.

export const baselineQueryOptions = (jobKey: string) =>
  queryOptions({ queryKey: keys.baseline(jobKey), queryFn: ({ signal }) => api<Baseline>(`/v1/jobs/${encodeURIComponent(jobKey)}/baseline`, { signal }), staleTime: 30_000 });
export const useBaseline = (jobKey: string) => useQuery(baselineQueryOptions(jobKey));

export const useAlertRoutes = () =>
  useQuery({ queryKey: keys.alertRoutes, queryFn: ({ signal }) => api<{ items: AlertRoute[] }>('/v1/alert-routes', { signal }), staleTime: 10_000 });
export const useWindows = () =>
  useQuery({ queryKey: keys.windows, queryFn: ({ signal }) => api<{ items: MaintenanceWindow[] }>('/v1/maintenance-windows', { signal }), staleTime: 10_000 });

/** A change that refreshes one list (and the audit log) when it settles. */
function useChange<I, O>(fn: (input: I) => Promise<O>, list: readonly unknown[]) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: list }), qc.invalidateQueries({ queryKey: keys.audit })]) });
}

export const useCreateRoute = () => useChange((body: AlertRouteBody) => api<AlertRoute>('/v1/alert-routes', { method: 'POST', body }), keys.alertRoutes);
export const useDeleteRoute = () => useChange((id: number) => api<void>(`/v1/alert-routes/${id}`, { method: 'DELETE' }), keys.alertRoutes);
export const useUpdateRoute = () => useChange(({ id, body }: { id: number; body: AlertRouteBody }) => api<AlertRoute>(`/v1/alert-routes/${id}`, { method: 'PUT', body }), keys.alertRoutes);
export const useTestRoute = () => useChange((id: number) => api<{ eventId: string; destinations: number }>(`/v1/alert-routes/${id}/test`, { method: 'POST' }), keys.alertRoutes);

export const useCreateWindow = () => useChange((body: MaintenanceWindowBody) => api<MaintenanceWindow>('/v1/maintenance-windows', { method: 'POST', body }), keys.windows);
export const useEndWindow = () => useChange((id: number) => api<MaintenanceWindow>(`/v1/maintenance-windows/${id}/end`, { method: 'POST', body: {} }), keys.windows);
export const useDeleteWindow = () => useChange((id: number) => api<void>(`/v1/maintenance-windows/${id}`, { method: 'DELETE' }), keys.windows);

/** "Pause until …": a one-off pause window of one job from now. */
export const usePauseUntil = () =>
  useChange(
    ({ key, until, reason }: { key: string; until: string; reason?: string }) =>
      api<MaintenanceWindow>(`/v1/jobs/${encodeURIComponent(key)}/pause-until`, { method: 'POST', body: reason ? { until, reason } : { until } }),
    keys.windows,
  );

/** A rule's dead letters (every destination, newest first); read only while shown, and every 5 s then. */
export const useDeadLetters = (routeId: number, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.alertRoutes, 'dead-letters', routeId],
    queryFn: ({ signal }) => api<DeadLetters>(`/v1/alert-routes/${routeId}/dead-letters?limit=100`, { signal }),
    enabled,
    refetchInterval: enabled ? 5_000 : false,
  });
export const useRequeue = () =>
  useChange(
    ({ routeId, destination, ids }: { routeId: number; destination: number; ids?: string[] }) =>
      api<{ requeued: number; ids: string[] }>(`/v1/alert-routes/${routeId}/dead-letters/requeue`, { method: 'POST', body: ids ? { destination, ids } : { destination } }),
    keys.alertRoutes,
  );
export const useUpdateWindow = () =>
  useChange(({ id, patch }: { id: number; patch: Partial<MaintenanceWindowBody> }) => api<MaintenanceWindow>(`/v1/maintenance-windows/${id}`, { method: 'PATCH', body: patch }), keys.windows);

export const usePolicies = () =>
  useQuery({ queryKey: keys.policies, queryFn: ({ signal }) => api<{ items: AlertPolicy[] }>('/v1/alert-policies', { signal }), staleTime: 10_000 });
const policyPath = (scope: AlertPolicy['scope'], target: string) => (scope === 'global' ? '/v1/alert-policies/global' : `/v1/alert-policies/${scope}/${encodeURIComponent(target)}`);
/** Setting a policy changes baselines' limits too (their effective policy). */
export const usePutPolicy = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ scope, target, settings, note }: { scope: AlertPolicy['scope']; target: string; settings: PolicySettings; note?: string }) =>
      api<AlertPolicy>(policyPath(scope, target), { method: 'PUT', body: note ? { settings, note } : { settings } }),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.policies }), qc.invalidateQueries({ queryKey: keys.audit }), qc.invalidateQueries({ queryKey: keys.baselines })]),
  });
};
export const useDeletePolicy = () =>
  useChange(({ scope, target }: { scope: AlertPolicy['scope']; target: string }) => api<void>(policyPath(scope, target), { method: 'DELETE' }), keys.policies);
