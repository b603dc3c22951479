// Shapes the console reads. Jobs, runs, slots, alerts and live events are the shared contracts' wire
// types (imported as types only: the browser bundle carries no TypeBox); the rest mirror the API.
import type { AlertDto, AlertPolicyDto, AlertPolicySettings, AlertRouteDto, AlertRouteInput, DeadLetterPage, ExpectedSlot, JobBaseline, JobDefinitionDto, MaintenanceWindowDto, MaintenanceWindowInput, RunState, RunView } from '@timekeeper/contracts';

export type Job = JobDefinitionDto;
export type Run = RunView;
export type RunStatus = RunState;
export type Alert = AlertDto;
export type AlertRoute = AlertRouteDto;
export type AlertRouteBody = AlertRouteInput;
export type MaintenanceWindow = MaintenanceWindowDto;
export type MaintenanceWindowBody = MaintenanceWindowInput;
export type Baseline = JobBaseline;
export type DeadLetters = DeadLetterPage;
export type AlertPolicy = AlertPolicyDto;
export type PolicySettings = AlertPolicySettings;
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
