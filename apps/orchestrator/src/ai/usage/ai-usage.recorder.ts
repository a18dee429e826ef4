import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { AI_USAGE_STREAM, aiUsageSubject, AiUsageRecord } from '@jarvis/contracts';
import { JetStreamService } from '@jarvis/messaging';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { AiMetrics } from './ai-metrics';

const ATTEMPTS = 12;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5000;
const MAX_PENDING = 10_000;

/**
 * Records every AI call attempt: metrics at once, and a usage record published on the
 * AI_USAGE stream for the history ledger. Publishing never throws and never delays the
 * call's answer; a record is retried with backoff until the stream acknowledges it (its
 * call id is the message id, so a retry that did arrive is dropped as a duplicate), and
 * one that cannot be published is logged whole at error level, never dropped silently.
 */
@Injectable()
export class AiUsageRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AiUsageRecorder.name);
  private readonly pending = new Map<string, AiUsageRecord>();
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly metrics: AiMetrics,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'shutdownTimeoutMs'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const spec = { ...AI_USAGE_STREAM, subjects: [...AI_USAGE_STREAM.subjects] };
    try {
      await this.jetStream.ensureStream(spec);
    } catch {
      // History may have created it at the same moment: the second try updates it.
      await this.jetStream.ensureStream(spec);
    }
  }

  record(record: AiUsageRecord, outcome: string): void {
    this.metrics.observe(record, outcome);
    if (this.pending.size >= MAX_PENDING) {
      this.logger.error({ aiUsage: record }, 'Too many AI usage records waiting for the stream');
      return;
    }
    this.pending.set(record.callId, record);
    const sending = this.send(record).finally(() => {
      this.pending.delete(record.callId);
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
      this.logger.error({ aiUsage: record }, 'AI usage record still unpublished at shutdown');
    }
  }

  private async send(record: AiUsageRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.jetStream.publish(aiUsageSubject(record.provider), record, record.callId);
        return;
      } catch (error) {
        if (this.closed) return;
        if (attempt >= ATTEMPTS) {
          this.logger.error(
            { err: error, aiUsage: record },
            `AI usage record not published after ${attempt} tries`,
          );
          return;
        }
        await delay(Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS));
      }
    }
  }
}
