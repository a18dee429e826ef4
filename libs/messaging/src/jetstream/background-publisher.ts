import { Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { JetStreamService } from './jetstream.service';

export interface PublishRetrySettings {
  /** Tries per record, the first one included. */
  attempts: number;
  /** Delay before the second try; it doubles up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Records waiting for the stream beyond this are refused (and logged whole). */
  maxPending: number;
}

/** About a minute and a half of tries at most (each may itself wait for its ack). */
export const DEFAULT_PUBLISH_RETRY: PublishRetrySettings = {
  attempts: 12,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxPending: 10_000,
};

export type PublishOutcome = 'published' | 'retried' | 'lost';

export interface BackgroundPublisherOptions<T> {
  /** What a record is, for log lines ("execution record"). */
  what: string;
  subjectOf: (record: T) => string;
  /** Unique per record: the JetStream message id, so a retry that did arrive is dropped. */
  idOf: (record: T) => string;
  retry: PublishRetrySettings;
  /** Counts what became of each try. */
  onOutcome?: (outcome: PublishOutcome) => void;
}

/**
 * Publishes records to a stream in the background: `publish` never throws and never makes
 * its caller wait. A record is retried with backoff until the stream acknowledges it; one
 * that cannot be published is logged whole at error level (and counted), never dropped
 * silently.
 */
export class BackgroundPublisher<T> {
  private readonly logger: Logger;
  private readonly pending = new Map<string, T>();
  private readonly sending = new Set<Promise<void>>();
  /** Set at close, once the records still pending have been logged. */
  private closed = false;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly options: BackgroundPublisherOptions<T>,
  ) {
    this.logger = new Logger(`BackgroundPublisher:${options.what}`);
  }

  /** Hands a record over; it is published in the background. */
  publish(record: T): void {
    if (this.pending.size >= this.options.retry.maxPending) {
      this.lose(record, undefined, `Too many ${this.options.what}s waiting for the stream`);
      return;
    }
    const id = this.options.idOf(record);
    this.pending.set(id, record);
    const sending = this.send(record, id).finally(() => {
      this.pending.delete(id);
      this.sending.delete(sending);
    });
    this.sending.add(sending);
  }

  /** Logs a record that will not be published, and counts it. */
  lose(record: T, error: unknown, message: string): void {
    this.options.onOutcome?.('lost');
    this.logger.error({ err: error, record }, message);
  }

  /** Resolves once every record handed over so far is published or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  /** Waits up to `timeoutMs` for the records under way, then logs those still unpublished. */
  async close(timeoutMs: number): Promise<void> {
    const timeout = delay(timeoutMs, undefined, { ref: false });
    await Promise.race([this.settled(), timeout]);
    this.closed = true;
    for (const record of this.pending.values()) {
      this.lose(
        record,
        undefined,
        `${capitalized(this.options.what)} still unpublished at shutdown`,
      );
    }
  }

  private async send(record: T, id: string): Promise<void> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.jetStream.publish(this.options.subjectOf(record), record, id);
        this.options.onOutcome?.('published');
        return;
      } catch (error) {
        if (this.closed) return;
        if (attempt >= retry.attempts) {
          this.lose(
            record,
            error,
            `${capitalized(this.options.what)} not published after ${attempt} tries`,
          );
          return;
        }
        this.options.onOutcome?.('retried');
        this.logger.warn(
          { err: error, id, attempt },
          `Publishing a ${this.options.what} failed; retrying`,
        );
        await delay(Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs));
      }
    }
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
