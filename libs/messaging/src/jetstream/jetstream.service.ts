import { Injectable } from '@nestjs/common';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  headers as natsHeaders,
  JetStreamClient,
  JetStreamManager,
  nanos,
  NatsError,
  PubAck,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { randomUUID } from 'node:crypto';
import { CORRELATION_HEADER } from '@jarvis/contracts';
import { currentCorrelationId } from '@jarvis/observability';
import { NatsConnectionHolder } from '../nats-connection';
import { SubjectNamer } from '../subject-namer';
import { DurableSpec, StreamSpec } from './stream-spec';

const encoder = new TextEncoder();
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;
const CONSUMER_NOT_FOUND = 10014;

/** Streams, durable consumers and de-duplicated publishing, with the suite's prefix applied. */
@Injectable()
export class JetStreamService {
  private manager: JetStreamManager | undefined;

  constructor(
    private readonly connection: NatsConnectionHolder,
    private readonly namer: SubjectNamer,
  ) {}

  client(): JetStreamClient {
    return this.connection.nc.jetstream();
  }

  async jsm(): Promise<JetStreamManager> {
    this.manager ??= await this.connection.nc.jetstreamManager();
    return this.manager;
  }

  streamName(name: string): string {
    return this.namer.streamName(name);
  }

  subject(subject: string): string {
    return this.namer.subject(subject);
  }

  /** Creates the stream, or updates it to match the spec. */
  async ensureStream(spec: StreamSpec): Promise<void> {
    const jsm = await this.jsm();
    const config = {
      name: this.namer.streamName(spec.name),
      subjects: spec.subjects.map((subject) => this.namer.subject(subject)),
      retention:
        spec.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
      storage: StorageType.File,
      // Refuse new messages when full rather than silently dropping old ones.
      discard: DiscardPolicy.New,
      max_age: nanos(spec.maxAgeMs ?? 0),
      max_bytes: spec.maxBytes ?? -1,
      duplicate_window: nanos(spec.duplicateWindowMs ?? 120_000),
      num_replicas: 1,
    };
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isApiError(error, STREAM_NOT_FOUND)) throw error;
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        // Another app or instance created it between our look-up and our add: it exists, as wanted.
        if (!isApiError(addError, STREAM_NAME_IN_USE)) throw addError;
      }
    }
  }

  /** Creates the durable consumer, or updates its settings. */
  async ensureDurable(spec: DurableSpec): Promise<void> {
    const jsm = await this.jsm();
    const stream = this.namer.streamName(spec.stream);
    const config = {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: spec.filterSubject ? this.namer.subject(spec.filterSubject) : undefined,
      ack_wait: nanos(spec.ackWaitMs),
      max_deliver: spec.maxDeliver,
      backoff: spec.backoffMs?.map((ms) => nanos(ms)),
      max_ack_pending: spec.maxAckPending ?? 1000,
    };
    try {
      await jsm.consumers.info(stream, spec.durable);
      await jsm.consumers.update(stream, spec.durable, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        backoff: config.backoff,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (error) {
      if (!isApiError(error, CONSUMER_NOT_FOUND)) throw error;
      await jsm.consumers.add(stream, config);
    }
  }

  /** Removes every message a stream holds on one subject; answers how many there were. */
  async purgeSubject(stream: string, subject: string): Promise<number> {
    const jsm = await this.jsm();
    const { purged } = await jsm.streams.purge(this.namer.streamName(stream), {
      filter: this.namer.subject(subject),
    });
    return purged;
  }

  /**
   * Publishes `payload` as JSON and waits for the stream's acknowledgement.
   * `messageId` makes a repeat within the duplicate window a no-op.
   */
  publish(subject: string, payload: unknown, messageId?: string): Promise<PubAck> {
    const headers = natsHeaders();
    headers.set(CORRELATION_HEADER, currentCorrelationId() ?? randomUUID());
    return this.client().publish(
      this.namer.subject(subject),
      encoder.encode(JSON.stringify(payload)),
      {
        msgID: messageId,
        headers,
      },
    );
  }
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof NatsError && error.api_error?.err_code === code;
}
