import { cookies } from 'next/headers';
import { KEY_COOKIE } from '@/lib/server-config';

export const dynamic = 'force-dynamic';

export async function POST(): Promise<Response> {
  (await cookies()).delete(KEY_COOKIE);
  return new Response(null, { status: 204 });
}
