import { serverConfig } from '@/lib/server-config';

/** Headers the API trusts only next to the console secret (see apps/api plugins/auth.ts). */
const CONSOLE_SECRET_HEADER = 'x-timekeeper-console';
const CLIENT_ADDRESS_HEADER = 'x-timekeeper-client-address';

/**
 * The browser's address as this server saw it: Next puts the peer's address in X-Forwarded-For unless
 * a proxy in front already did. A client that forges it only moves its own failed sign-ins to another
 * bucket: the API never refuses a valid key over anyone's failures.
 */
export function clientAddress(headers: Headers): string | null {
  const first = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return first && /^[0-9A-Fa-f:.]{2,45}$/.test(first) ? first : null;
}

/** Headers for a call to the API on a browser's behalf: the console secret, its address, and its credential. */
export function upstreamHeaders(incoming: Headers, credential: { session: string } | { key: string }): Headers {
  const headers = new Headers({
    [CONSOLE_SECRET_HEADER]: serverConfig.consoleSecret,
    authorization: 'session' in credential ? `Session ${credential.session}` : `Bearer ${credential.key}`,
  });
  const address = clientAddress(incoming);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  return headers;
}
