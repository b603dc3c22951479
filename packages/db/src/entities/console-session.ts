import { EntitySchema } from '@mikro-orm/core';
import { bigint } from './column-types';

/**
 * A console sign-in. The browser's cookie holds a random id; only its SHA-256 is stored, with the key
 * it stands for (`keyId`, or `envKeyHash` for ADMIN_API_KEY, which has no row). It ends at `expiresAt`,
 * after `idleTimeoutS` without a request, on logout, or when its key is revoked (the row goes).
 */
export class ConsoleSession {
  id!: number;
  idHash!: string;
  keyId: number | null = null;
  envKeyHash: string | null = null;
  actor!: string;
  createdAt: Date = new Date();
  expiresAt!: Date;
  idleTimeoutS!: number;
  lastSeenAt: Date = new Date();
}

export const ConsoleSessionSchema = new EntitySchema<ConsoleSession>({
  class: ConsoleSession,
  tableName: 'console_sessions',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    idHash: { type: 'string', length: 64, unique: true },
    keyId: { type: 'integer', nullable: true },
    envKeyHash: { type: 'string', length: 64, nullable: true },
    actor: { type: 'string', length: 100 },
    createdAt: { type: 'datetime', length: 3 },
    expiresAt: { type: 'datetime', length: 3 },
    idleTimeoutS: { type: 'integer' },
    lastSeenAt: { type: 'datetime', length: 3 },
  },
});
