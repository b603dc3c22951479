import type { ReactNode } from 'react';
import { isApiError } from '@/lib/api/http';

export function Loading({ rows = 4, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div aria-busy="true" aria-label={label} style={{ display: 'grid', gap: 10, padding: 12 }}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - ((i * 13) % 40)}%` }} />
      ))}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state">{children}</div>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="state error" role="alert">
      <div>{isApiError(error, 403) ? 'Your key may not see this.' : message}</div>
      {retry && (
        <button type="button" className="btn small" style={{ marginTop: 10 }} onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
