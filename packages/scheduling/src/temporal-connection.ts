import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';

export type TemporalConfig = {
  address: string;
  namespace: string;
  /** Called with the gRPC method name (e.g. `ListSchedules`) of every call this client makes: a service's Temporal load, counted. */
  onCall?: (method: string) => void;
};

/** A gRPC interceptor that names each call's method (the last part of its path) and changes nothing else. */
export function callCounter(onCall: (method: string) => void): Interceptor {
  return (options, nextCall) => {
    const path = options.method_definition.path;
    onCall(path.slice(path.lastIndexOf('/') + 1));
    return new InterceptingCall(nextCall(options));
  };
}

/** A Temporal client for schedules and workflow queries; close `connection` on shutdown. */
export async function connectTemporal(config: TemporalConfig): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address: config.address,
    connectTimeout: '5s',
    ...(config.onCall ? { interceptors: [callCounter(config.onCall)] } : {}),
  });
  return { client: new Client({ connection, namespace: config.namespace }), connection };
}
