import { Kafka, logLevel } from 'kafkajs';
import { waitOrThrow } from '../wait';

export type KafkaRecord = { topic: string; key: string | null; eventId: string | null; value: Record<string, unknown> };

/**
 * Every message on the topics from the beginning up to their current ends (the private Kafka is fresh
 * each run, so that is this run's traffic). The event id is the `event-id` header, else the value's.
 */
export async function readTopics(brokers: string, topics: string[], timeoutMs = 120_000): Promise<KafkaRecord[]> {
  const kafka = new Kafka({ clientId: 'chaos-verify', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (Number(p.high) > Number(p.low)) remaining.set(`${topic}/${p.partition}`, Number(p.high) - 1);
      }
    }
  } finally {
    await admin.disconnect();
  }
  const out: KafkaRecord[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `chaos-verify-${Date.now()}-${process.pid}` });
  await consumer.connect();
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const id = `${topic}/${partition}`;
        const last = remaining.get(id);
        if (last === undefined || Number(message.offset) > last) return;
        const header = message.headers?.['event-id'];
        const value = message.value ? (JSON.parse(message.value.toString()) as Record<string, unknown>) : {};
        out.push({
          topic,
          key: message.key?.toString() ?? null,
          eventId: header ? header.toString() : typeof value.eventId === 'string' ? value.eventId : null,
          value,
        });
        if (Number(message.offset) >= last) remaining.delete(id);
      },
    });
    await waitOrThrow(`reading Kafka to the end (${remaining.size} partitions left)`, () => remaining.size === 0, timeoutMs, 200);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
