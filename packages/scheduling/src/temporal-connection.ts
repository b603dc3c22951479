import { Client, Connection } from '@temporalio/client';

export type TemporalConfig = { address: string; namespace: string };

/** A Temporal client for schedules and workflow queries; close `connection` on shutdown. */
export async function connectTemporal(config: TemporalConfig): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: config.address, connectTimeout: '5s' });
  return { client: new Client({ connection, namespace: config.namespace }), connection };
}
