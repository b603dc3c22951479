'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { isApiError } from '@/lib/api/http';
import { keys } from '@/lib/api/keys';
import type { Me } from '@/lib/api/types';
import { LiveEvents } from '@/lib/live/live-events';
import { ConfigContext, type ClientConfig } from './config-context';
import { ToastProvider } from './toasts';

function makeClient(me: Me | null): QueryClient {
  const qc = new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: true,
        // 4xx answers will not change by asking again.
        retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
      },
    },
  });
  if (me) qc.setQueryData(keys.me, me);
  return qc;
}

export function Providers({ me, config, children }: { me: Me | null; config: ClientConfig; children: ReactNode }) {
  const [qc] = useState(() => makeClient(me));
  const router = useRouter();
  useEffect(() => {
    // A key revoked mid-session: back to sign-in rather than a page of errors.
    const onUnauthorized = () => router.replace('/login?expired=1');
    window.addEventListener('tk:unauthorized', onUnauthorized);
    return () => window.removeEventListener('tk:unauthorized', onUnauthorized);
  }, [router]);
  return (
    <QueryClientProvider client={qc}>
      <ConfigContext.Provider value={config}>
        <ToastProvider>
          <LiveEvents>{children}</LiveEvents>
        </ToastProvider>
      </ConfigContext.Provider>
    </QueryClientProvider>
  );
}
