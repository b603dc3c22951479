import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, isApiError, withQuery } from '../http';
import { keys } from '../keys';
import type { Alert, Page } from '../types';

export type AlertFilters = { status?: string; kind?: string; severity?: string; job?: string; limit?: number };
export type AlertPage = Page<Alert> & { unavailable?: boolean };

/** Alerts arrive with the alerting work; until the route exists the console shows an empty, labelled feed. */
export async function listAlerts(filters: AlertFilters, cursor?: string, signal?: AbortSignal): Promise<AlertPage> {
  try {
    return await api<Page<Alert>>(withQuery('/v1/alerts', { ...filters, cursor }), { signal });
  } catch (err) {
    if (isApiError(err, 404)) return { items: [], nextCursor: null, unavailable: true };
    throw err;
  }
}

export const alertsQueryOptions = (filters: AlertFilters) =>
  infiniteQueryOptions({
    queryKey: [...keys.alerts, 'list', filters] as const,
    queryFn: ({ pageParam, signal }) => listAlerts(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.nextCursor == null ? undefined : String(last.nextCursor)),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

export const useAlerts = (filters: AlertFilters, refetchInterval: number | false = false) => useInfiniteQuery({ ...alertsQueryOptions(filters), refetchInterval });

/** Open alerts for the header badge. */
export const openAlertsQueryOptions = () =>
  queryOptions({
    queryKey: [...keys.alerts, 'open-count'] as const,
    queryFn: ({ signal }) => listAlerts({ status: 'open', limit: 200 }, undefined, signal),
    staleTime: 10_000,
    select: (p) => ({ count: p.items.length, more: p.nextCursor != null, unavailable: p.unavailable === true }),
  });

export const useOpenAlertCount = (refetchInterval: number | false = false) => useQuery({ ...openAlertsQueryOptions(), refetchInterval });
