import { ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { SubjectNamer } from './subject-namer';

export interface JarvisNatsServerOptions {
  servers: string[];
  /** The app's queue group: instances of one app share its messages. */
  queue: string;
  name: string;
  subjectPrefix: string;
  /** How long shutdown waits for handlers still answering. */
  shutdownTimeoutMs: number;
}

/**
 * Nest's NATS transport with a subject prefix and a shutdown that stops taking
 * messages, lets in-flight requests answer, then drains the connection.
 */
export class JarvisNatsServer extends ServerNats {
  private readonly namer: SubjectNamer;
  private readonly ownSubscriptions: Subscription[] = [];
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly settings: JarvisNatsServerOptions) {
    super({
      servers: settings.servers,
      queue: settings.queue,
      name: settings.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    this.namer = new SubjectNamer(settings.subjectPrefix);
  }

  /** Ready means subscribed: the server has our subscriptions before anyone is told we listen. */
  override start(callback: (error?: unknown) => void): void {
    this.bindEvents(this.unwrap<NatsConnection>());
    this.unwrap<NatsConnection>()
      .flush()
      .then(() => callback(), callback);
  }

  override bindEvents(client: NatsConnection): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? this.settings.queue;
      const subscription = client.subscribe(this.namer.subject(pattern), {
        queue,
        callback: this.getMessageHandler(pattern).bind(this),
      });
      this.ownSubscriptions.push(subscription);
    }
  }

  override async handleMessage(channel: string, message: Msg): Promise<unknown> {
    if (!message.reply) return super.handleMessage(channel, message);
    this.inFlight += 1;
    try {
      return await super.handleMessage(channel, message);
    } catch (error) {
      this.finishOne();
      throw error;
    }
  }

  override getPublisher(message: Msg, id: string, ctx: never): (response: unknown) => unknown {
    const publish = super.getPublisher(message, id, ctx);
    return (packet: unknown) => {
      const result = publish(packet);
      const { isDisposed, err } = packet as { isDisposed?: boolean; err?: unknown };
      if (isDisposed || err !== undefined) this.finishOne();
      return result;
    };
  }

  override async close(): Promise<void> {
    for (const subscription of this.ownSubscriptions) subscription.unsubscribe();
    await this.waitForInFlight(this.settings.shutdownTimeoutMs);
    try {
      await this.unwrap<NatsConnection>().drain();
    } catch {
      // Not connected or already closed: nothing left to drain.
    }
    await super.close();
  }

  private finishOne(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) this.idle?.();
  }

  private waitForInFlight(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
