import { ScheduleNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { connectTemporal } from './temporal-connection';

describe('connectTemporal onCall (real Temporal)', () => {
  it('names the gRPC method of every call the client makes, failed ones included', async () => {
    const address = process.env.TEMPORAL_ADDRESS;
    if (!address) throw new Error('TEMPORAL_ADDRESS is not set: source .data/infra.env');
    const calls: string[] = [];
    const { client, connection } = await connectTemporal({ address, namespace: 'default', onCall: (m) => calls.push(m) });
    try {
      calls.length = 0; // connecting may make calls of its own (system info)
      await expect(client.schedule.getHandle(`tk-no-such-schedule-${Date.now()}`).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
      for await (const _ of client.schedule.list({ pageSize: 1, query: 'ScheduleId STARTS_WITH "tk-no-such-schedule-"' })) break;
      expect(calls).toEqual(['DescribeSchedule', 'ListSchedules']);
    } finally {
      await connection.close();
    }
  });
});
