import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/mariadb';
import { ApiKey } from '../entities';
import { selectRows } from './rows';

/**
 * The API key rule, in one place for every app that checks a key (the API, and the worker's and
 * alerting's ops ports): keys look like `tk_<prefix>_<secret>`; only the SHA-256 of the whole key is
 * stored (a 32-byte random secret needs no slow hash); the prefix finds the row and is safe to show.
 */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

const KEY_FORMAT = /^tk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** The public prefix of a presented key, if it has our format. */
export const keyPrefixOf = (presented: string): string | null => KEY_FORMAT.exec(presented)?.[1] ?? null;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The unrevoked key row a presented key stands for, or null (a plain row, no entity hydration). */
export async function activeKeyRow(em: EntityManager, presented: string): Promise<ApiKey | null> {
  const prefix = keyPrefixOf(presented);
  if (!prefix) return null;
  const [row] = await selectRows(em, ApiKey, 'select * from api_keys where prefix = ? and revoked_at is null limit 1', [prefix]);
  return row && safeEqual(row.hash, sha256(presented)) ? row : null;
}

/** Whether an Authorization header carries a valid key (any role): what an ops port's /metrics asks. */
export async function bearerKeyIsValid(em: EntityManager, authorization: string | undefined): Promise<boolean> {
  const m = /^Bearer (\S+)$/.exec(authorization ?? '');
  return !!m && (await activeKeyRow(em, m[1])) !== null;
}
