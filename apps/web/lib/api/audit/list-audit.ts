import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../http';
import { keys } from '../keys';
import type { AuditEntry, Page } from '../types';

export type AuditFilters = { job?: string; limit?: number };

export const listAudit = (filters: AuditFilters, cursor?: number, signal?: AbortSignal) =>
  api<Page<AuditEntry>>(withQuery('/v1/audit', { ...filters, cursor }), { signal });

export const auditQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: [...keys.audit, filters] as const,
    queryFn: ({ pageParam, signal }) => listAudit(filters, pageParam, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.nextCursor == null ? undefined : Number(last.nextCursor)),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

export const useAudit = (filters: AuditFilters) => useInfiniteQuery(auditQueryOptions(filters));
