import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ApiKey, selectRows, type EntityManager, type Role } from '@timekeeper/db';
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

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const KEY_FORMAT = /^tk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** The public prefix of a presented key, if it has our format (failed attempts are counted under it). */
export const keyPrefixOf = (presented: string): string | null => KEY_FORMAT.exec(presented)?.[1] ?? null;

/**
 * Keys look like `tk_<prefix>_<secret>`. Only the SHA-256 of the whole key is stored (a 32-byte random
 * secret needs no slow hash); the prefix finds the row and is safe to show.
 */
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
  const prefix = keyPrefixOf(presented);
  if (!prefix) return null;
  const hash = sha256(presented);
  const known = verified?.get(hash);
  if (known) return known;
  // A key not verified lately is looked up: a plain row, no entity hydration (selectRows).
  const [row] = await selectRows(em, ApiKey, 'select * from api_keys where prefix = ? and revoked_at is null limit 1', [prefix]);
  if (!row || !safeEqual(row.hash, hash)) return null;
  // Last use is informational: record it at most once a minute to keep reads cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await em.nativeUpdate(ApiKey, { id: row.id }, { lastUsedAt: new Date() });
  }
  const principal: Principal = { actor: `key:${row.name}`, role: row.role, keyId: row.id, sessionId: null };
  verified?.put(hash, principal);
  return principal;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
