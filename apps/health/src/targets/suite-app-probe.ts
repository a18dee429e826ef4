import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ErrorCode as NatsErrorCode,
  headers as natsHeaders,
  NatsError,
  RequestStrategy,
} from 'nats';
import {
  APP_NAMES,
  AppName,
  CORRELATION_HEADER,
  ReadinessQuery,
  ReadinessReport,
} from '@jarvis/contracts';
import { decodeReply, encodePacket, NatsConnectionHolder, SubjectNamer } from '@jarvis/messaging';
import { currentCorrelationId } from '@jarvis/observability';
import { DEGRADED_LATENCY_MS, ProbeAnswer, TargetDownError } from './health-target';

/**
 * Checks one of the suite's apps over NATS, wherever it runs: every app answers the
 * readiness query in its own queue group, and the probe waits for this app's answer.
 * An app that answers but reports a check down (its database, say) is degraded.
 */
@Injectable()
export class SuiteAppProbe {
  constructor(
    private readonly connection: NatsConnectionHolder,
    private readonly namer: SubjectNamer,
  ) {}

  async check(app: AppName, timeoutMs: number, signal?: AbortSignal): Promise<ProbeAnswer> {
    const started = performance.now();
    const headers = natsHeaders();
    headers.set(CORRELATION_HEADER, currentCorrelationId() ?? randomUUID());
    let replies: AsyncIterable<{ data: Uint8Array }>;
    try {
      replies = await this.connection.nc.requestMany(
        this.namer.subject(ReadinessQuery.subject),
        encodePacket({ pattern: ReadinessQuery.subject, data: {}, id: randomUUID() }),
        {
          strategy: RequestStrategy.Count,
          maxMessages: APP_NAMES.length,
          maxWait: timeoutMs,
          headers,
        },
      );
      for await (const message of replies) {
        if (signal?.aborted) break;
        const report = decodeReply(message.data).response as ReadinessReport | undefined;
        if (report?.app === app) return this.answerOf(report, performance.now() - started);
      }
    } catch (error) {
      if (!(error instanceof NatsError && error.code === NatsErrorCode.NoResponders)) {
        throw new TargetDownError(error instanceof Error ? error.message : String(error));
      }
    }
    throw new TargetDownError(`${app} did not answer within ${timeoutMs} ms`);
  }

  private answerOf(report: ReadinessReport, elapsedMs: number): ProbeAnswer {
    const latencyMs = Math.round(elapsedMs);
    const failing = Object.entries(report.checks)
      .filter(([, status]) => status !== 'up')
      .map(([check]) => check);
    if (report.status !== 'up' || failing.length > 0) {
      return {
        status: 'degraded',
        latencyMs,
        message: `Not ready: ${failing.join(', ') || 'unknown'} down`,
      };
    }
    if (latencyMs > DEGRADED_LATENCY_MS) {
      return { status: 'degraded', latencyMs, message: `Slow answer (${latencyMs} ms)` };
    }
    return { status: 'up', latencyMs, message: null };
  }
}
