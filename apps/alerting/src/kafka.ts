import { Kafka, logLevel } from 'kafkajs';

/** A kafkajs client for a comma-separated broker list; kafkajs' own logging is kept to errors. */
export function createKafka(brokers: string, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(',').map((b) => b.trim()),
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}
