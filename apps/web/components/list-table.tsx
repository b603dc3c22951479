import type { ReactNode } from 'react';
import { Empty, ErrorState, Loading } from './states';

/** What a list needs of its query (TanStack Query's results have it). */
type ListQuery = { isLoading: boolean; isError: boolean; error: unknown; refetch: () => unknown };

/**
 * A list page's table: skeleton while loading, the error with a retry, the empty sentence, else the
 * table with its header. Rows go in one <tbody>; with `groups`, children are <tbody> elements of their
 * own (the alerts page's incidents).
 */
export function ListTable({
  query,
  label,
  empty,
  columns,
  testId,
  groups = false,
  rows = 3,
  children,
}: {
  query: ListQuery;
  /** What is loading, for screen readers ("Loading rules"). */
  label: string;
  /** The sentence to show instead of the table, or null when there is something to list. */
  empty: ReactNode | null;
  columns: ReactNode[];
  testId: string;
  groups?: boolean;
  rows?: number;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      {query.isLoading ? (
        <Loading rows={rows} label={label} />
      ) : query.isError ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : empty !== null ? (
        <Empty>{empty}</Empty>
      ) : (
        <table className="table" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i}>{c}</th>
              ))}
            </tr>
          </thead>
          {groups ? children : <tbody>{children}</tbody>}
        </table>
      )}
    </div>
  );
}
