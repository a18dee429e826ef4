import {
  TASK_MAX_DELIVER,
  TASK_PRIORITIES,
  TASKS_DLQ_STREAM,
  TASKS_STREAM,
  taskConsumerName,
  taskQueueFilter,
} from '@jarvis/contracts';
import { DurableSpec, JetStreamService } from '@jarvis/messaging';

export interface TaskQueueSettings {
  /** How long a delivered task may go without an ack or progress before it is delivered again. */
  ackWaitMs: number;
  /** Deliveries of a domain's tasks awaiting their ack, per priority: the domain's cap. */
  maxAckPending: number;
}

/** Redeliveries after an ack wait expired wait longer each time (1, 2, 4, 8 ack waits). */
const REDELIVERY_STEPS = [1, 2, 4, 8];

/** Creates or updates the work-queue and dead-letter streams. */
export async function ensureTaskStreams(jetStream: JetStreamService): Promise<void> {
  await jetStream.ensureStream(TASKS_STREAM);
  await jetStream.ensureStream(TASKS_DLQ_STREAM);
}

/**
 * The durables a domain's workers share, one per priority. A work-queue stream allows one
 * consumer per filter, so every worker of the domain reads through the same durable.
 */
export function domainConsumerSpecs(domain: string, settings: TaskQueueSettings): DurableSpec[] {
  return TASK_PRIORITIES.map((priority) => ({
    stream: TASKS_STREAM.name,
    durable: taskConsumerName(priority, domain),
    filterSubject: taskQueueFilter(priority, domain),
    ackWaitMs: settings.ackWaitMs,
    maxDeliver: TASK_MAX_DELIVER,
    backoffMs: REDELIVERY_STEPS.map((step) => step * settings.ackWaitMs),
    maxAckPending: settings.maxAckPending,
  }));
}
