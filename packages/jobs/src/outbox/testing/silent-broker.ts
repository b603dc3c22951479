import { createServer, type Socket } from 'node:net';

export type SilentBroker = {
  /** host:port to give kafkajs as its broker list. */
  address: string;
  /** Connections accepted so far (kafkajs connected and is waiting for an answer). */
  readonly connections: number;
  /** Drops every connection and stops listening: the clients waiting on it fail at once. */
  close(): Promise<void>;
};

/**
 * A Kafka that accepts TCP connections and never answers (tests and benchmarks): the hanging-broker
 * kind of outage, harder on a client than a closed port because every call waits for its timeout.
 */
export async function startSilentBroker(port = 0): Promise<SilentBroker> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('silent broker: no TCP address');
  return {
    address: `127.0.0.1:${addr.port}`,
    get connections() {
      return connections;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
