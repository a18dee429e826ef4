import { createInbox, Msg, Subscription } from 'nats';
import { CORRELATION_HEADER } from '@jarvis/contracts';
import { NatsConnectionHolder } from '../nats-connection';
import { SubjectNamer } from '../subject-namer';
import { encodedHeaders } from './encoded-headers';

export interface StreamAck {
  seq: number;
  duplicate: boolean;
}

export interface PipelinedPublishOptions {
  /** `Nats-Msg-Id`: a repeat within the stream's duplicate window is dropped. */
  messageId?: string;
  correlationId?: string | null;
}

/** Called once per message: with an error, or with the stream's acknowledgement. */
export type StreamAckCallback = (error: Error | undefined, ack?: StreamAck) => void;

interface Waiting {
  done: StreamAckCallback;
  deadline: number;
}

const decoder = new TextDecoder();

/**
 * Publishes to JetStream with many messages awaiting their acknowledgement at once, for
 * high-rate publishers. Each message is a plain publish whose reply subject lies under
 * one inbox subscription, so a publish costs no request object or timer of its own;
 * acknowledgements are matched by their reply subject and overdue ones fail together.
 */
export class PipelinedPublisher {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<string, Waiting>();
  private subscription: Subscription | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private next = 0;

  constructor(
    private readonly connection: NatsConnectionHolder,
    private readonly namer: SubjectNamer,
    private readonly timeoutMs = 5000,
  ) {}

  start(): void {
    this.subscription = this.connection.nc.subscribe(`${this.inbox}.*`, {
      callback: (error, message) => {
        if (!error) this.settle(message);
      },
    });
    this.sweeper = setInterval(() => this.expire(Date.now()), Math.min(1000, this.timeoutMs));
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.subscription?.unsubscribe();
    this.expire(Number.POSITIVE_INFINITY);
  }

  /** Resolves once the stream stored the message (or recognised it as a duplicate). */
  publish(
    subject: string,
    data: Uint8Array,
    options: PipelinedPublishOptions = {},
  ): Promise<StreamAck> {
    return new Promise<StreamAck>((resolve, reject) =>
      this.send(subject, data, options, (error, ack) =>
        error ? reject(error) : resolve(ack as StreamAck),
      ),
    );
  }

  /**
   * As {@link publish}, but calls `done` instead of settling a promise: a relay that
   * publishes tens of thousands of messages a second saves a promise chain per message.
   * `done` is never called before `send` returns.
   */
  send(
    subject: string,
    data: Uint8Array,
    options: PipelinedPublishOptions,
    done: StreamAckCallback,
  ): void {
    const token = String(this.next++);
    this.waiting.set(token, { done, deadline: Date.now() + this.timeoutMs });
    try {
      const entries: [string, string][] = [];
      if (options.messageId) entries.push(['Nats-Msg-Id', options.messageId]);
      if (options.correlationId) entries.push([CORRELATION_HEADER, options.correlationId]);
      const headers = entries.length > 0 ? encodedHeaders(entries) : undefined;
      this.connection.nc.publish(this.namer.subject(subject), data, {
        reply: `${this.inbox}.${token}`,
        headers,
      });
    } catch (error) {
      this.waiting.delete(token);
      queueMicrotask(() => done(error as Error));
    }
  }

  private settle(message: Msg): void {
    const token = message.subject.slice(this.inbox.length + 1);
    const waiting = this.waiting.get(token);
    if (!waiting) return;
    this.waiting.delete(token);
    const status = message.headers?.code ?? 0;
    if (status >= 400 || message.data.length === 0) {
      waiting.done(new Error(`No stream stored the message (status ${status || 'empty'})`));
      return;
    }
    try {
      const ack = JSON.parse(decoder.decode(message.data)) as {
        seq?: number;
        duplicate?: boolean;
        error?: { description?: string };
      };
      if (ack.error || typeof ack.seq !== 'number') {
        waiting.done(new Error(ack.error?.description ?? 'The stream refused the message'));
      } else {
        waiting.done(undefined, { seq: ack.seq, duplicate: ack.duplicate === true });
      }
    } catch (error) {
      waiting.done(error as Error);
    }
  }

  private expire(now: number): void {
    for (const [token, waiting] of this.waiting) {
      if (waiting.deadline > now) continue;
      this.waiting.delete(token);
      waiting.done(new Error(`No acknowledgement from the stream within ${this.timeoutMs} ms`));
    }
  }
}
