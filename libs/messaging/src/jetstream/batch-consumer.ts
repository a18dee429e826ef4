import { Logger } from '@nestjs/common';
import type { ConsumerMessages, JsMsg } from 'nats';
import { setTimeout as delay } from 'node:timers/promises';
import { CORRELATION_HEADER } from '@jarvis/contracts';
import { JetStreamService } from './jetstream.service';
import { DurableSpec } from './stream-spec';

export interface ConsumedMessage<T> {
  data: T;
  correlationId: string | undefined;
  /** 1 on first delivery. */
  deliveryCount: number;
  raw: JsMsg;
}

export interface BatchConsumerOptions<T> {
  durable: DurableSpec;
  /** Validates a payload; throwing marks the message as poison (terminated, logged). */
  parse: (payload: unknown) => T;
  /** Handles a batch; resolving acks every message in it, rejecting redelivers them later. */
  handle: (batch: ConsumedMessage<T>[]) => Promise<void>;
  maxBatch: number;
  /** How long a partial batch may wait for company before it is handled. */
  maxWaitMs: number;
  /** Delay before a failed batch is delivered again. */
  retryDelayMs?: number;
}

const decoder = new TextDecoder();

/**
 * Reads a durable consumer in micro-batches: a batch is handled when it is full or
 * `maxWaitMs` after its first message, whichever comes first, and acked only after
 * its handler succeeded. Stopping lets the batch in hand finish.
 */
export class BatchConsumer<T> {
  private readonly logger: Logger;
  private messages: ConsumerMessages | undefined;
  private pending: ConsumedMessage<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.durable.durable}`);
  }

  async start(): Promise<void> {
    await this.jetStream.ensureDurable(this.options.durable);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.messages?.close();
    await this.loop;
    this.flush();
    await this.flushing;
  }

  private async run(): Promise<void> {
    const { stream, durable } = this.options.durable;
    while (this.running) {
      try {
        const consumer = await this.jetStream
          .client()
          .consumers.get(this.jetStream.streamName(stream), durable);
        this.messages = await consumer.consume({ max_messages: this.options.maxBatch * 2 });
        for await (const message of this.messages) {
          this.accept(message);
          if (this.pending.length >= this.options.maxBatch) {
            this.flush();
            // Back-pressure: do not read ahead while a full batch is being stored.
            await this.flushing;
          }
        }
      } catch (error) {
        if (!this.running) break;
        this.logger.warn({ err: error }, 'Consumer interrupted; resuming');
        await this.jetStream.ensureDurable(this.options.durable).catch(() => undefined);
        await delay(500);
      }
    }
  }

  private accept(message: JsMsg): void {
    let data: T;
    try {
      data = this.options.parse(JSON.parse(decoder.decode(message.data)));
    } catch (error) {
      this.logger.error(
        { err: error, subject: message.subject },
        'Dropping a message that is not valid',
      );
      message.term();
      return;
    }
    this.pending.push({
      data,
      correlationId: message.headers?.get(CORRELATION_HEADER) || undefined,
      deliveryCount: message.info.redeliveryCount,
      raw: message,
    });
    this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.handle(batch));
  }

  private async handle(batch: ConsumedMessage<T>[]): Promise<void> {
    try {
      await this.options.handle(batch);
      for (const message of batch) message.raw.ack();
    } catch (error) {
      this.logger.error(
        { err: error, size: batch.length },
        'Batch failed; it will be delivered again',
      );
      for (const message of batch) message.raw.nak(this.options.retryDelayMs ?? 1000);
    }
  }
}
