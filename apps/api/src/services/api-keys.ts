import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { activeKeyRow, ApiKey, keyPrefixOf, safeEqual, sha256, type EntityManager, type Role } from '@timekeeper/db';
import type { VerifiedKeys } from './verified-keys';

export const ROLES: Role[] = ['viewer', 'operator', 'admin'];
export const roleAtLeast = (have: Role, need: Role) => ROLES.indexOf(have) >= ROLES.indexOf(need);

/**
 * Who is calling. `keyId` is the api_keys row (null for ADMIN_API_KEY from the environment);
 * `sessionId` is set when the call came through a console session standing for that key.
 */
export type Principal = { actor: string; role: Role; keyId: number | null; sessionId: number | null };

/** What per-key limits count under: the key, whether presented directly or through a session. */
export const keyRef = (p: Principal): string => (p.keyId === null ? 'env-admin' : `key-${p.keyId}`);

// The key format and hash rule live in @timekeeper/db (queries/api-keys), shared with the ops ports.
export { keyPrefixOf, safeEqual, sha256 };

/** A new key `tk_<prefix>_<secret>` and what is stored of it (see @timekeeper/db's api-keys). */
export function newKeyMaterial(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `tk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

export async function createApiKey(em: EntityManager, input: { name: string; role: Role; createdBy: string }) {
  const material = newKeyMaterial();
  const row = Object.assign(new ApiKey(), { ...input, prefix: material.prefix, hash: material.hash });
  em.persist(row);
  await em.flush();
  return { row, key: material.key };
}

/** The principal behind a presented key, or null. ADMIN_API_KEY from the environment is an admin. */
export async function verifyApiKey(em: EntityManager, presented: string, adminKey?: string, verified?: VerifiedKeys): Promise<Principal | null> {
  if (adminKey && safeEqual(sha256(presented), sha256(adminKey))) return { actor: 'admin-env', role: 'admin', keyId: null, sessionId: null };
  if (!keyPrefixOf(presented)) return null;
  const hash = sha256(presented);
  const known = verified?.get(hash);
  if (known) return known;
  // A key not verified lately is looked up.
  const row = await activeKeyRow(em, presented);
  if (!row) return null;
  // Last use is informational: record it at most once a minute to keep reads cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: new Date() });
  }
  const principal: Principal = { actor: `key:${row.name}`, role: row.role, keyId: row.id, sessionId: null };
  verified?.put(hash, principal);
  return principal;
}

/**
 * Without ADMIN_API_KEY and with no key stored, creates the first admin key and writes it to `file`
 * (mode 0600, never over an existing file), returning the path so the server can say where it is.
 * The key itself never reaches stdout or the logs. If the file cannot be written, no key is stored.
 */
export async function ensureFirstAdminKey(em: EntityManager, adminKeyFromEnv: string | undefined, file: string): Promise<string | null> {
  if (adminKeyFromEnv) return null;
  if ((await em.count(ApiKey, { revokedAt: null })) > 0) return null;
  await em.transactional(async (tx) => {
    const { key } = await createApiKey(tx, { name: 'first-admin', role: 'admin', createdBy: 'bootstrap' });
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  });
  return file;
}
