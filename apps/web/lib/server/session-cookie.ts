import { cookies } from 'next/headers';
import { LEGACY_KEY_COOKIE, SESSION_COOKIE, serverConfig } from '@/lib/server-config';

/** The session id the browser holds, if any. */
export async function sessionFromCookie(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it), Path=/; Secure over TLS. */
export async function setSessionCookie(session: string, expiresAt: Date): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: serverConfig.cookieSecure, path: '/', expires: expiresAt });
  jar.delete(LEGACY_KEY_COOKIE);
}

export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: serverConfig.cookieSecure, path: '/', maxAge: 0 });
  jar.delete(LEGACY_KEY_COOKIE);
}
