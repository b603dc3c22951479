// Shapes the console reads. Job definitions come from the shared contracts; the rest mirror the API's
// responses, with the fields that later API work adds marked optional so older APIs still render.
import type { ExpectedSlot, JobDefinitionDto } from '@timekeeper/contracts';

export type Job = JobDefinitionDto;
export type Page<T> = { items: T[]; nextCursor: string | number | null };
export type Role = 'viewer' | 'operator' | 'admin';
export type Me = { actor: string; role: Role };
export type Kind = { kind: string; title: string; params: JsonSchema };

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
};

/** A job's expected slot (preview, next runs): the wire type from the contracts. */
export type Slot = ExpectedSlot;

/** Verdicts from Temporal visibility today and from the slot ledger later. */
export type RunStatus =
  | 'planned'
  | 'running'
  | 'completed'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'terminated'
  | 'skipped'
  | 'missed'
  | 'paused'
  | 'continued_as_new';

export type Run = {
  jobKey: string | null;
  workflowId: string;
  runId: string;
  status: RunStatus;
  slot: string | null;
  startTime: string | null;
  closeTime: string | null;
  attempt: number;
  // From the slot ledger, when the API sends them.
  progress?: number | null;
  progressTotal?: number | null;
  progressDone?: number | null;
  errorType?: string | null;
  errorMessage?: string | null;
  errorStack?: string | null;
  fence?: number | string | null;
  reason?: string | null;
  attempts?: { attempt: number; startTime?: string; closeTime?: string | null; status?: string; errorType?: string | null; errorMessage?: string | null }[];
};

export type AlertKind = 'failed' | 'timed_out' | 'terminated' | 'cancelled' | 'missed' | 'late_start' | 'overdue';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type Alert = {
  id: string | number;
  jobKey: string;
  slot: string | null;
  kind: AlertKind;
  severity: string;
  reason: string;
  details?: unknown;
  firstSeen: string;
  lastSeen: string;
  count: number;
  status: AlertStatus;
  acknowledgedBy?: string | null;
};

export type AuditEntry = {
  id: number;
  actor: string;
  action: string;
  jobKey: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  createdAt: string;
};
