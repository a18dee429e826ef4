import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Counter } from 'prom-client';
import {
  ExecutionRecord,
  executionRecordSchema,
  executionRecordSubject,
  EXECUTIONS_STREAM,
} from '@jarvis/contracts';
import {
  BackgroundPublisher,
  DEFAULT_PUBLISH_RETRY,
  JetStreamService,
  type PublishRetrySettings,
} from '@jarvis/messaging';
import { MetricsService } from '@jarvis/observability';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';

/** Injection token to override {@link DEFAULT_PUBLISH_RETRY} (tests). */
export const EXECUTION_RECORD_RETRY = Symbol('EXECUTION_RECORD_RETRY');

/**
 * Publishes execution records on the EXECUTIONS stream for history to store, in the
 * background (a run's answer does not depend on NATS). The execution id is the JetStream
 * message id, so a retry that did arrive is dropped as a duplicate.
 */
@Injectable()
export class ExecutionRecordPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly publisher: BackgroundPublisher<ExecutionRecord>;

  constructor(
    private readonly jetStream: JetStreamService,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'shutdownTimeoutMs'>,
    metrics: MetricsService,
    @Optional()
    @Inject(EXECUTION_RECORD_RETRY)
    retry: PublishRetrySettings = DEFAULT_PUBLISH_RETRY,
  ) {
    const outcomes = new Counter({
      name: 'jarvis_execution_records_total',
      help: 'Execution records handed to the EXECUTIONS stream, by outcome',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.publisher = new BackgroundPublisher(jetStream, {
      what: 'execution record',
      subjectOf: (record) => executionRecordSubject(record.domain),
      idOf: (record) => record.executionId,
      retry,
      onOutcome: (outcome) => outcomes.inc({ outcome }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jetStream.ensureStream(EXECUTIONS_STREAM);
  }

  /** Hands a record over; it is published in the background. */
  publish(record: ExecutionRecord): void {
    const valid = executionRecordSchema.safeParse(record);
    if (!valid.success) {
      this.publisher.lose(record, valid.error, 'Execution record is not valid; not published');
      return;
    }
    this.publisher.publish(record);
  }

  /** Resolves once every record handed over so far is published or given up. */
  settled(): Promise<void> {
    return this.publisher.settled();
  }

  onModuleDestroy(): Promise<void> {
    return this.publisher.close(this.config.shutdownTimeoutMs);
  }
}
