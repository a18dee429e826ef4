import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  ExecutionRecord,
  executionRecordSchema,
  EXECUTIONS_STREAM,
  HISTORY_EXECUTIONS_DURABLE,
} from '@jarvis/contracts';
import { BatchConsumer, ConsumedMessage, JetStreamService } from '@jarvis/messaging';
import { ExecutionRecordStore } from './execution-record.store';

/**
 * Micro-batches: a batch is stored when 1000 records are in hand or 50 ms after its
 * first one, so one INSERT carries many rows under load and a lone record waits 50 ms.
 */
const MAX_BATCH = 1000;
const MAX_WAIT_MS = 50;
const RETRY_DELAY_MS = 1000;
/**
 * A record delivered to an instance that stopped or died before storing it is delivered
 * again after this long. It must exceed the time to store a batch; a batch that takes
 * longer is stored twice at worst, which the unique execution id turns into a no-op.
 */
const ACK_WAIT_MS = 10_000;

/**
 * Stores every execution record published on the EXECUTIONS stream, once. The durable
 * consumer remembers what was acked, so records published while history is down are
 * stored when it comes back; a batch is acked only after it is committed, and a failed
 * batch is delivered again (never given up: `maxDeliver` is unlimited). Stopping lets the
 * batch in hand finish.
 */
@Injectable()
export class ExecutionIngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ExecutionIngestConsumer.name);
  private readonly consumer: BatchConsumer<ExecutionRecord>;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly store: ExecutionRecordStore,
  ) {
    this.consumer = new BatchConsumer(jetStream, {
      durable: {
        stream: EXECUTIONS_STREAM.name,
        durable: HISTORY_EXECUTIONS_DURABLE,
        ackWaitMs: ACK_WAIT_MS,
        maxDeliver: -1,
        maxAckPending: MAX_BATCH * 8,
      },
      parse: (payload) => executionRecordSchema.parse(payload),
      handle: (batch) => this.storeBatch(batch),
      maxBatch: MAX_BATCH,
      maxWaitMs: MAX_WAIT_MS,
      retryDelayMs: RETRY_DELAY_MS,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // The orchestrator creates it too; whichever comes second finds it there.
    await this.jetStream.ensureStream(EXECUTIONS_STREAM);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async storeBatch(batch: ConsumedMessage<ExecutionRecord>[]): Promise<void> {
    const records = batch.map(({ data }) => data);
    const { stored, refused } = await this.store.storeRecords(records);
    for (const { record, error } of refused) {
      this.logger.error(
        { err: error, record },
        'Dropping an execution record the database refuses',
      );
    }
    if (stored + refused.length < records.length) {
      this.logger.debug({ received: records.length, stored }, 'Skipped records stored before');
    }
  }
}
