import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { Providers } from '@/components/providers';
import type { Me } from '@/lib/api/types';
import { serverConfig } from '@/lib/server-config';
import { sessionFromCookie } from '@/lib/server/session-cookie';
import { upstreamHeaders } from '@/lib/server/upstream';

export const dynamic = 'force-dynamic';

/** Every console page: signed in, with the role known before the first paint (no buttons flash in or out). */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await sessionFromCookie();
  if (!session) redirect('/login');
  let me: Me | null = null;
  let rejected = false;
  try {
    const res = await fetch(`${serverConfig.apiUrl}/v1/me`, {
      headers: upstreamHeaders(await headers(), { session }),
      cache: 'no-store',
      signal: AbortSignal.timeout(3_000),
    });
    if (res.status === 401) rejected = true;
    else if (res.ok) me = (await res.json()) as Me;
  } catch {
    // The API is down: render the shell; the pages show their own errors.
  }
  if (rejected) redirect('/login?expired=1');
  return (
    <Providers me={me} config={{ temporalUiUrl: serverConfig.temporalUiUrl, temporalNamespace: serverConfig.temporalNamespace }}>
      <AppHeader />
      {children}
    </Providers>
  );
}
