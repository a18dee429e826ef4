import { Logger } from '@nestjs/common';
import type { Consumer, ConsumerMessages, JsMsg } from 'nats';
import { setTimeout as delay } from 'node:timers/promises';
import { TaskPriority, TASKS_STREAM } from '@jarvis/contracts';
import { JetStreamService } from '@jarvis/messaging';

/** A pull waits this long on an empty band before it is renewed. */
const FETCH_EXPIRES_MS = 5000;
const RETRY_DELAY_MS = 500;

/**
 * Keeps up to `room()` messages of one priority band fetched ahead. It asks only for what
 * it has room for, so no message waits in a client buffer while its ack wait runs out.
 */
export class BandFetcher {
  private readonly logger: Logger;
  private running = false;
  private loop: Promise<void> | undefined;
  private current: ConsumerMessages | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly jetStream: JetStreamService,
    readonly priority: TaskPriority,
    private readonly durable: string,
    private readonly room: () => number,
    private readonly deliver: (priority: TaskPriority, message: JsMsg) => void,
  ) {
    this.logger = new Logger(`BandFetcher:${durable}`);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** There may be room again. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.current?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    let consumer: Consumer | undefined;
    while (this.running) {
      const want = this.room();
      if (want <= 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        consumer ??= await this.jetStream
          .client()
          .consumers.get(this.jetStream.streamName(TASKS_STREAM.name), this.durable);
        this.current = await consumer.fetch({ max_messages: want, expires: FETCH_EXPIRES_MS });
        for await (const message of this.current) this.deliver(this.priority, message);
      } catch (error) {
        if (!this.running) break;
        consumer = undefined;
        this.logger.warn({ err: error }, 'Fetching tasks failed; retrying');
        await delay(RETRY_DELAY_MS);
      } finally {
        this.current = undefined;
      }
    }
  }
}
