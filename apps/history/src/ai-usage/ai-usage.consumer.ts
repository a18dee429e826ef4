import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  AI_USAGE_STREAM,
  AiUsageRecord,
  aiUsageRecordSchema,
  HISTORY_AI_USAGE_DURABLE,
} from '@jarvis/contracts';
import { BatchConsumer, ConsumedMessage, JetStreamService } from '@jarvis/messaging';
import { AiUsageStore, isDataError } from './ai-usage.store';

/** A batch is stored when 200 records are in hand or 20 ms after its first one. */
const MAX_BATCH = 200;
const MAX_WAIT_MS = 20;
const RETRY_DELAY_MS = 1000;

/**
 * Stores every AI usage record published on the AI_USAGE stream, once. The durable consumer
 * remembers what was acked, so records published while history is down are stored when it
 * comes back; a batch is acked only once committed, and a failed batch comes back later.
 */
@Injectable()
export class AiUsageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AiUsageConsumer.name);
  private readonly consumer: BatchConsumer<AiUsageRecord>;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly store: AiUsageStore,
  ) {
    this.consumer = new BatchConsumer(jetStream, {
      durable: {
        stream: AI_USAGE_STREAM.name,
        durable: HISTORY_AI_USAGE_DURABLE,
        ackWaitMs: 30_000,
        maxDeliver: -1,
        maxAckPending: MAX_BATCH * 8,
      },
      parse: (payload) => aiUsageRecordSchema.parse(payload),
      handle: (batch) => this.storeBatch(batch),
      maxBatch: MAX_BATCH,
      maxWaitMs: MAX_WAIT_MS,
      retryDelayMs: RETRY_DELAY_MS,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // The orchestrator creates it too; whichever comes second finds it there.
    await this.jetStream.ensureStream(AI_USAGE_STREAM);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async storeBatch(batch: ConsumedMessage<AiUsageRecord>[]): Promise<void> {
    const records = batch.map(({ data }) => data);
    try {
      await this.store.insertBatch(records);
    } catch (error) {
      if (!isDataError(error)) throw error;
      for (const record of records) {
        try {
          await this.store.insertBatch([record]);
        } catch (single) {
          if (!isDataError(single)) throw single;
          this.logger.error(
            { err: single, aiUsage: record },
            'Dropping an AI usage record the database refuses',
          );
        }
      }
    }
  }
}
