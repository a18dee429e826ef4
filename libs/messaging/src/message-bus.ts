import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ErrorCode as NatsErrorCode,
  headers as natsHeaders,
  MsgHdrs,
  NatsError,
  RequestStrategy,
} from 'nats';
import {
  CORRELATION_HEADER,
  DownstreamTimeoutError,
  DownstreamUnavailableError,
  EventContract,
  EventOf,
  JarvisError,
  ReplyOf,
  RequestContract,
  RequestOf,
} from '@jarvis/contracts';
import { currentCorrelationId, MetricsService } from '@jarvis/observability';
import { decodeReply, encodePacket } from './nest-packet';
import { NatsConnectionHolder } from './nats-connection';
import { SubjectNamer } from './subject-namer';

export interface RequestOptions {
  timeoutMs?: number;
}

/** What the apps answered to a gathered request. */
export interface Gathered<R> {
  replies: R[];
  failures: JarvisError[];
}

/**
 * Typed request/reply and events over core NATS. Every message carries the
 * current correlation ID; failures come back as `JarvisError`s with their codes.
 */
@Injectable()
export class MessageBus {
  constructor(
    private readonly connection: NatsConnectionHolder,
    private readonly namer: SubjectNamer,
    private readonly defaultTimeoutMs: number,
    private readonly metrics: MetricsService,
  ) {}

  async request<C extends RequestContract<unknown, unknown>>(
    contract: C,
    data: RequestOf<C>,
    options: RequestOptions = {},
  ): Promise<ReplyOf<C>> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const stop = this.metrics.natsRequestDuration.startTimer({ subject: contract.subject });
    try {
      const message = await this.connection.nc.request(
        this.namer.subject(contract.subject),
        encodePacket({ pattern: contract.subject, data, id: randomUUID() }),
        { timeout: timeoutMs, headers: this.correlationHeaders() },
      );
      const reply = decodeReply(message.data);
      if (reply.err !== undefined && reply.err !== null) throw JarvisError.fromPayload(reply.err);
      stop({ outcome: 'ok' });
      return reply.response as ReplyOf<C>;
    } catch (error) {
      stop({ outcome: error instanceof JarvisError ? error.code : 'error' });
      throw this.mapTransportError(error, contract.subject, timeoutMs);
    }
  }

  emit<C extends EventContract<unknown>>(contract: C, event: EventOf<C>): void {
    this.connection.nc.publish(
      this.namer.subject(contract.subject),
      encodePacket({ pattern: contract.subject, data: event }),
      { headers: this.correlationHeaders() },
    );
  }

  /**
   * Sends a request to every app's queue group and gathers the answers that come in time:
   * the replies, and the answers that were errors (rebuilt as `JarvisError`s).
   */
  async gather<C extends RequestContract<unknown, unknown>>(
    contract: C,
    data: RequestOf<C>,
    expected: number,
    maxWaitMs: number,
  ): Promise<Gathered<ReplyOf<C>>> {
    const gathered: Gathered<ReplyOf<C>> = { replies: [], failures: [] };
    const iterator = await this.connection.nc.requestMany(
      this.namer.subject(contract.subject),
      encodePacket({ pattern: contract.subject, data, id: randomUUID() }),
      {
        strategy: RequestStrategy.Count,
        maxMessages: expected,
        maxWait: maxWaitMs,
        headers: this.correlationHeaders(),
      },
    );
    try {
      for await (const message of iterator) {
        const reply = decodeReply(message.data);
        if (reply.err === undefined || reply.err === null) {
          gathered.replies.push(reply.response as ReplyOf<C>);
        } else {
          gathered.failures.push(JarvisError.fromPayload(reply.err));
        }
      }
    } catch (error) {
      if (!(error instanceof NatsError && error.code === NatsErrorCode.NoResponders)) throw error;
    }
    return gathered;
  }

  private correlationHeaders(): MsgHdrs {
    const headers = natsHeaders();
    headers.set(CORRELATION_HEADER, currentCorrelationId() ?? randomUUID());
    return headers;
  }

  private mapTransportError(error: unknown, subject: string, timeoutMs: number): unknown {
    if (error instanceof NatsError) {
      if (error.code === NatsErrorCode.Timeout)
        return new DownstreamTimeoutError(subject, timeoutMs);
      if (error.code === NatsErrorCode.NoResponders) return new DownstreamUnavailableError(subject);
    }
    return error;
  }
}
