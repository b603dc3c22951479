import { EntitySchema } from '@mikro-orm/core';
import { bigint } from './column-types';

/** One mutating call (or reconciler repair), written in the same transaction as the change itself. */
export class AuditEntry {
  id!: number;
  actor!: string;
  action!: string;
  jobKey: string | null = null;
  before: Record<string, unknown> | null = null;
  after: Record<string, unknown> | null = null;
  note: string | null = null;
  createdAt: Date = new Date();
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  tableName: 'audit_log',
  properties: {
    id: { type: bigint(), primary: true, autoincrement: true },
    actor: { type: 'string', length: 100 },
    action: { type: 'string', length: 60 },
    jobKey: { type: 'string', length: 64, nullable: true },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    note: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', length: 3 },
  },
});
