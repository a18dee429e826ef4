import { Logger } from '@nestjs/common';
import { NatsError, RetentionPolicy, StorageType, DiscardPolicy, nanos } from 'nats';
import { z } from 'zod';
import {
  TASK_ADVISORIES_DURABLE,
  TASK_ADVISORIES_STREAM_NAME,
  taskMessageSchema,
  TASKS_STREAM,
} from '@jarvis/contracts';
import { BatchConsumer, JetStreamService } from '@jarvis/messaging';
import { TaskLedgerService } from '../ledger/task-ledger.service';

const advisorySchema = z.object({
  stream: z.string(),
  consumer: z.string(),
  stream_seq: z.number().int(),
  deliveries: z.number().int(),
});
type MaxDeliveriesAdvisory = z.infer<typeof advisorySchema>;

const STREAM_NOT_FOUND = 10059;
const NO_MESSAGE_FOUND = 10037;
const STREAM_NAME_IN_USE = 10058;
const ADVISORY_MAX_AGE_MS = 7 * 24 * 3_600_000;

/**
 * JetStream keeps a message that reached its max deliveries in a work-queue stream and
 * stops delivering it; the server only says so in an advisory. The advisories are kept
 * in a stream of their own; for each, the task dies (with its dead letter) and the
 * message is deleted.
 */
export class DeadLetterAdvisories {
  private readonly logger = new Logger(DeadLetterAdvisories.name);
  private consumer: BatchConsumer<MaxDeliveriesAdvisory> | undefined;

  constructor(
    private readonly jetStream: JetStreamService,
    private readonly ledger: TaskLedgerService,
  ) {}

  async start(): Promise<void> {
    await this.ensureAdvisoryStream();
    this.consumer = new BatchConsumer(this.jetStream, {
      durable: {
        stream: TASK_ADVISORIES_STREAM_NAME,
        durable: TASK_ADVISORIES_DURABLE,
        ackWaitMs: 30_000,
        maxDeliver: 10,
      },
      parse: (payload) => advisorySchema.parse(payload),
      handle: async (batch) => {
        for (const { data } of batch) await this.handle(data);
      },
      maxBatch: 50,
      maxWaitMs: 50,
      retryDelayMs: 5000,
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(advisory: MaxDeliveriesAdvisory): Promise<void> {
    const jsm = await this.jetStream.jsm();
    const stream = this.jetStream.streamName(TASKS_STREAM.name);
    let payload: unknown;
    try {
      const message = await jsm.streams.getMessage(stream, { seq: advisory.stream_seq });
      payload = message.json();
    } catch (error) {
      if (error instanceof NatsError && error.api_error?.err_code === NO_MESSAGE_FOUND) return;
      throw error;
    }
    const task = taskMessageSchema.safeParse(payload);
    if (task.success) {
      await this.ledger.undeliverable(task.data.taskId, task.data.dispatch, advisory.deliveries);
      this.logger.warn(
        { taskId: task.data.taskId, deliveries: advisory.deliveries },
        'Task message reached its max deliveries; the task is dead',
      );
    }
    await jsm.streams.deleteMessage(stream, advisory.stream_seq, false);
  }

  /** Its subjects are the server's own, so they carry no prefix; the stream name does. */
  private async ensureAdvisoryStream(): Promise<void> {
    const jsm = await this.jetStream.jsm();
    const tasksStream = this.jetStream.streamName(TASKS_STREAM.name);
    const config = {
      name: this.jetStream.streamName(TASK_ADVISORIES_STREAM_NAME),
      subjects: [`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${tasksStream}.*`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(ADVISORY_MAX_AGE_MS),
      num_replicas: 1,
    };
    try {
      await jsm.streams.info(config.name);
    } catch (error) {
      if (!(error instanceof NatsError && error.api_error?.err_code === STREAM_NOT_FOUND))
        throw error;
      await jsm.streams.add(config).catch((addError: unknown) => {
        // Another instance created it between our look and our add.
        if (!(
          addError instanceof NatsError && addError.api_error?.err_code === STREAM_NAME_IN_USE
        )) {
          throw addError;
        }
      });
    }
  }
}
