import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { Me, Role } from '../types';

export const getMe = (signal?: AbortSignal) => api<Me>('/v1/me', { signal });

export const meQueryOptions = () => queryOptions({ queryKey: keys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 5 * 60_000 });

export const useMe = () => useQuery(meQueryOptions());

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** What the signed-in key may do; unknown (still loading) means nothing, so no button flashes in. */
export function useCan() {
  const role = useMe().data?.role;
  const at = (need: Role) => role !== undefined && RANK[role] >= RANK[need];
  return { operate: at('operator'), admin: at('admin'), role };
}
