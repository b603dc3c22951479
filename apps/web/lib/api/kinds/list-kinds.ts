import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { Kind } from '../types';

export const listKinds = (signal?: AbortSignal) => api<{ items: Kind[] }>('/v1/kinds', { signal });

export const kindsQueryOptions = () =>
  queryOptions({ queryKey: keys.kinds, queryFn: ({ signal }) => listKinds(signal), staleTime: Infinity, select: (d) => d.items });

export const useKinds = () => useQuery(kindsQueryOptions());
