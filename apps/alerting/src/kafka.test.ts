import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
import { createKafka } from './kafka';

// Smoke test against the real single-node Kafka started by infra/up.sh.
const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through `npm test` or source .data/infra.env');
const kafka = createKafka(brokers, 'smoke-test');
let producer: Producer | undefined;
let consumer: Consumer | undefined;
afterAll(async () => {
  await producer?.disconnect();
  await consumer?.disconnect();
});

describe('kafkajs against Kafka', () => {
  it('consumes the message it produced, with its key and header', async () => {
    const topic = `timekeeper.smoke.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const eventId = randomUUID();
    producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'job-a', value: JSON.stringify({ hello: 'kafka' }), headers: { 'event-id': eventId } }] });

    consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: unknown; eventId: string }>((resolve) => {
      void consumer!.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: message.key!.toString(),
            value: JSON.parse(message.value!.toString()),
            eventId: message.headers!['event-id']!.toString(),
          }),
      });
    });
    expect(received).toEqual({ key: 'job-a', value: { hello: 'kafka' }, eventId });
  }, 60_000);
});
