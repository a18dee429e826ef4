import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AI_USAGE_STREAM, aiUsageSubject, AiUsageRecord } from '@jarvis/contracts';
import { BackgroundPublisher, DEFAULT_PUBLISH_RETRY, JetStreamService } from '@jarvis/messaging';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { AiMetrics } from './ai-metrics';

/**
 * Records every AI call attempt: metrics at once, and a usage record published on the
 * AI_USAGE stream for the history ledger, in the background (the call's answer never
 * waits for it). The call id is the message id, so a retry that did arrive is dropped.
 */
@Injectable()
export class AiUsageRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly publisher: BackgroundPublisher<AiUsageRecord>;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly metrics: AiMetrics,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'shutdownTimeoutMs'>,
  ) {
    this.publisher = new BackgroundPublisher(jetStream, {
      what: 'AI usage record',
      subjectOf: (record) => aiUsageSubject(record.provider),
      idOf: (record) => record.callId,
      retry: DEFAULT_PUBLISH_RETRY,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jetStream.ensureStream(AI_USAGE_STREAM);
  }

  record(record: AiUsageRecord, outcome: string): void {
    this.metrics.observe(record, outcome);
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
