import { ApplicationFailure } from '@temporalio/common';
import { Value } from '@sinclair/typebox/value';
import { JOB_KINDS, type JobKind, type JobParams } from '@timekeeper/contracts';

/** The kind's params with schema defaults applied; invalid params fail the run without retries. */
export function parseParams<K extends JobKind>(kind: K, raw: Record<string, unknown>): JobParams[K] {
  const schema = JOB_KINDS[kind].params;
  const value = Value.Convert(schema, Value.Default(schema, structuredClone(raw ?? {})));
  const error = Value.Errors(schema, value).First();
  if (error) {
    throw ApplicationFailure.create({ message: `invalid params for ${kind}: ${error.path || '/'} ${error.message}`, type: 'InvalidParams', nonRetryable: true });
  }
  return value as JobParams[K];
}
