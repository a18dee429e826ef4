import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { TEST_NATS_URL, uniqueSubjectPrefix } from '@jarvis/testing';
import { NatsConnectionHolder } from '../nats-connection';
import { SubjectNamer } from '../subject-namer';
import { BatchConsumer, ConsumedMessage } from './batch-consumer';
import { JetStreamService } from './jetstream.service';

const recordSchema = z.object({ id: z.number().int() });
type TestRecord = z.infer<typeof recordSchema>;

describe(JetStreamService.name, () => {
  const namer = new SubjectNamer(uniqueSubjectPrefix());
  const connection = new NatsConnectionHolder({ servers: [TEST_NATS_URL], name: 'jetstream-test' });
  let jetStream: JetStreamService;
  const consumers: BatchConsumer<TestRecord>[] = [];

  const durable = { stream: 'RECORDS', durable: 'store', ackWaitMs: 5000, maxDeliver: 5 };
  const consumer = (handle: (batch: ConsumedMessage<TestRecord>[]) => Promise<void>) => {
    const created = new BatchConsumer(jetStream, {
      durable,
      parse: (payload) => recordSchema.parse(payload),
      handle,
      maxBatch: 25,
      maxWaitMs: 20,
      retryDelayMs: 50,
    });
    consumers.push(created);
    return created;
  };
  const until = async (condition: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) await delay(20);
  };

  beforeAll(async () => {
    await connection.connect();
    jetStream = new JetStreamService(connection, namer);
    await jetStream.ensureStream({
      name: 'RECORDS',
      subjects: ['records.>'],
      retention: 'limits',
      maxAgeMs: 600_000,
    });
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    const jsm = await jetStream.jsm();
    await jsm.streams.delete(namer.streamName('RECORDS'));
    await connection.onApplicationShutdown();
  });

  it('stores a repeated message id once, and redelivers a batch whose handler failed', async () => {
    for (let id = 0; id < 100; id++)
      await jetStream.publish('records.test', { id }, `record-${id}`);
    const repeats = await Promise.all(
      [0, 1, 2].map((id) => jetStream.publish('records.test', { id }, `record-${id}`)),
    );
    expect(repeats.every((ack) => ack.duplicate)).toBe(true);
    await jetStream.publish('records.test', { id: 'not a number' }, 'poison');

    const seen = new Map<number, number>();
    let failures = 1;
    const reader = consumer(async (batch) => {
      if (failures-- > 0) throw new Error('database down');
      for (const { data } of batch) seen.set(data.id, (seen.get(data.id) ?? 0) + 1);
    });
    await reader.start();
    await until(() => seen.size === 100);
    expect(seen.size).toBe(100);

    // Messages published while no consumer runs arrive once it is back.
    await reader.stop();
    for (let id = 100; id < 120; id++)
      await jetStream.publish('records.test', { id }, `record-${id}`);
    const again = consumer(async (batch) => {
      for (const { data } of batch) seen.set(data.id, (seen.get(data.id) ?? 0) + 1);
    });
    await again.start();
    await until(() => seen.size === 120);
    expect(seen.size).toBe(120);
    await delay(200);
    const info = await (await jetStream.jsm()).consumers.info(namer.streamName('RECORDS'), 'store');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});
