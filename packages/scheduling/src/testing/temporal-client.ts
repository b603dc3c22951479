import type { Client } from '@temporalio/client';
import { afterAll, beforeAll } from 'vitest';
import { connectTemporal } from '../temporal-connection';

/**
 * A client to the real Temporal server (TEMPORAL_ADDRESS) for the enclosing suite, closed after it.
 * Returns a getter: the client exists only once beforeAll has run.
 */
export function useTemporalClient(): () => Client {
  let client: Client | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const address = process.env.TEMPORAL_ADDRESS;
    if (!address) throw new Error('TEMPORAL_ADDRESS is not set: source .data/infra.env');
    const connected = await connectTemporal({ address, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    client = connected.client;
    close = () => connected.connection.close();
  });
  afterAll(async () => close?.());
  return () => {
    if (!client) throw new Error('the Temporal client is used before beforeAll ran');
    return client;
  };
}
