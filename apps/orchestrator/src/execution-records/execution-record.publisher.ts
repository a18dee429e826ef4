import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Counter } from 'prom-client';
import {
  ExecutionRecord,
  executionRecordSchema,
  executionRecordSubject,
  EXECUTIONS_STREAM,
} from '@jarvis/contracts';
import { JetStreamService } from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';

export interface PublishRetrySettings {
  /** Tries per record, the first one included. */
  attempts: number;
  /** Delay before the second try; it doubles up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Records waiting for the stream beyond this are refused (and logged whole). */
  maxPending: number;
}

/** Injection token to override {@link DEFAULT_PUBLISH_RETRY} (tests). */
export const EXECUTION_RECORD_RETRY = Symbol('EXECUTION_RECORD_RETRY');

/** About a minute and a half of tries at most (each may itself wait for its ack). */
export const DEFAULT_PUBLISH_RETRY: PublishRetrySettings = {
  attempts: 12,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxPending: 10_000,
};

/**
 * Publishes execution records on the EXECUTIONS stream for history to store.
 *
 * `publish` never throws and never makes its caller wait: a run's answer does not
 * depend on NATS. A record is retried with backoff until the stream acknowledges it;
 * its execution id is the JetStream message id, so a retry that did arrive is dropped
 * as a duplicate. A record that cannot be published is logged whole at error level
 * (and counted), never dropped silently.
 */
@Injectable()
export class ExecutionRecordPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ExecutionRecordPublisher.name);
  private readonly pending = new Map<string, ExecutionRecord>();
  private readonly sending = new Set<Promise<void>>();
  private readonly outcomes: Counter<'outcome'>;
  /** Set at shutdown, once the records still pending have been logged. */
  private closed = false;

  constructor(
    private readonly jetStream: JetStreamService,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'shutdownTimeoutMs'>,
    metrics: MetricsService,
    @Optional()
    @Inject(EXECUTION_RECORD_RETRY)
    private readonly retry: PublishRetrySettings = DEFAULT_PUBLISH_RETRY,
  ) {
    this.outcomes = new Counter({
      name: 'jarvis_execution_records_total',
      help: 'Execution records handed to the EXECUTIONS stream, by outcome',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const spec = { ...EXECUTIONS_STREAM, subjects: [...EXECUTIONS_STREAM.subjects] };
    try {
      await this.jetStream.ensureStream(spec);
    } catch {
      // History may have created it at the same moment: the second try updates it.
      await this.jetStream.ensureStream(spec);
    }
  }

  /** Hands a record over; it is published in the background. */
  publish(record: ExecutionRecord): void {
    const valid = executionRecordSchema.safeParse(record);
    if (!valid.success) {
      this.lose(record, valid.error, 'Execution record is not valid; not published');
      return;
    }
    if (this.pending.size >= this.retry.maxPending) {
      this.lose(record, undefined, 'Too many execution records waiting for the stream');
      return;
    }
    this.pending.set(record.executionId, record);
    const sending = this.send(record).finally(() => {
      this.pending.delete(record.executionId);
      this.sending.delete(sending);
    });
    this.sending.add(sending);
  }

  /** Resolves once every record handed over so far is published or given up. */
  async settled(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async onModuleDestroy(): Promise<void> {
    const timeout = delay(this.config.shutdownTimeoutMs, undefined, { ref: false });
    await Promise.race([this.settled(), timeout]);
    this.closed = true;
    for (const record of this.pending.values()) {
      this.lose(record, undefined, 'Execution record still unpublished at shutdown');
    }
  }

  private async send(record: ExecutionRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.jetStream.publish(
          executionRecordSubject(record.domain),
          record,
          record.executionId,
        );
        this.outcomes.inc({ outcome: 'published' });
        return;
      } catch (error) {
        if (this.closed) return;
        if (attempt >= this.retry.attempts) {
          this.lose(record, error, `Execution record not published after ${attempt} tries`);
          return;
        }
        this.outcomes.inc({ outcome: 'retried' });
        this.logger.warn(
          { err: error, executionId: record.executionId, attempt },
          'Publishing an execution record failed; retrying',
        );
        await delay(Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs));
      }
    }
  }

  private lose(record: ExecutionRecord, error: unknown, message: string): void {
    this.outcomes.inc({ outcome: 'lost' });
    this.logger.error({ err: error, record }, message);
  }
}
