import { ApiKeySchema } from './api-key';
import { AuditEntrySchema } from './audit-entry';
import { JobDefinitionSchema } from './job-definition';
import { OrderSchema, ProductSchema, ReportSchema, SessionSchema, TierChangeSchema, UserSchema, VipTierSchema } from './loyalty';
import { JobCheckpointSchema, JobFenceSchema, JobSlotRunSchema, JobSlotSchema, OutboxMessageSchema } from './run-ledger';

export * from './api-key';
export * from './audit-entry';
export * from './job-definition';
export * from './loyalty';
export * from './run-ledger';
export const entities = [JobDefinitionSchema, ApiKeySchema, AuditEntrySchema,
  UserSchema, ProductSchema, OrderSchema, VipTierSchema, TierChangeSchema, ReportSchema, SessionSchema,
  JobSlotSchema, JobFenceSchema, JobCheckpointSchema, OutboxMessageSchema,
];
(entities as unknown[]).push(JobSlotRunSchema);

// Alerting (issue 5).
import { AlertingCursorSchema, AlertObservationSchema, AlertSchema } from './alert';
export * from './alert';
(entities as unknown[]).push(AlertSchema, AlertObservationSchema, AlertingCursorSchema);

// Console sessions (issue 11).
import { ConsoleSessionSchema } from './console-session';
export * from './console-session';
(entities as unknown[]).push(ConsoleSessionSchema);
