import { EntitySchema } from '@mikro-orm/core';

export type Role = 'viewer' | 'operator' | 'admin';

/** An API key: only its SHA-256 is stored; `prefix` (shown in lists) finds the row without the secret. */
export class ApiKey {
  id!: number;
  name!: string;
  prefix!: string;
  hash!: string;
  role!: Role;
  createdBy = 'system';
  createdAt: Date = new Date();
  lastUsedAt: Date | null = null;
  revokedAt: Date | null = null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_keys',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    name: { type: 'string', length: 100 },
    prefix: { type: 'string', length: 16, unique: true },
    hash: { type: 'string', length: 64 },
    role: { type: 'string', length: 10 },
    createdBy: { type: 'string', length: 100 },
    createdAt: { type: 'datetime', length: 3 },
    lastUsedAt: { type: 'datetime', length: 3, nullable: true },
    revokedAt: { type: 'datetime', length: 3, nullable: true },
  },
});
