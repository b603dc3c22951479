import type { RetryPolicyMs } from './job-definition';

/**
 * The longest a run can take when every attempt uses its whole start-to-close timeout: maxAttempts
 * attempts plus Temporal's backoff between them (initial × coefficient^n, capped at maxInterval). A run
 * timeout shorter than this ends the run while an attempt may still be due, with no workflow code left
 * to record a verdict; definitions are refused when it does not fit.
 */
export function worstCaseRunMs(retry: RetryPolicyMs, startToCloseMs: number): number {
  let backoff = 0;
  let wait = retry.initialIntervalMs;
  for (let retryNo = 1; retryNo < retry.maxAttempts; retryNo++) {
    backoff += Math.min(wait, retry.maxIntervalMs);
    wait *= retry.backoffCoefficient;
  }
  return retry.maxAttempts * startToCloseMs + backoff;
}
