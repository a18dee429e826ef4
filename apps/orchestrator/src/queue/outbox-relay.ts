import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MicroBatcher } from '@jarvis/agent-sdk';
import { PipelinedPublisher } from '@jarvis/messaging';
import type { TaskRow } from '../tasks/task-row';
import { OutboxMessage, taskMessageOf } from './outbox-message';

export interface OutboxRelaySettings {
  /** How often committed messages that were not published are looked for. */
  sweepIntervalMs: number;
  /** A message this old and still in the outbox was not published by its writer (it crashed, or NATS was down). */
  sweepAgeMs: number;
  /** Publishes awaiting their acknowledgement at once. */
  maxInFlight: number;
}

export const DEFAULT_OUTBOX_RELAY_SETTINGS: OutboxRelaySettings = {
  sweepIntervalMs: 1000,
  sweepAgeMs: 5000,
  maxInFlight: 2000,
};

const SWEEP_BATCH = 1000;
const encoder = new TextEncoder();

interface OutboxRow {
  id: string;
  kind: OutboxMessage['kind'];
  subject: string;
  msg_id: string;
  /** Null for a task's message: it is built from the task's row. */
  payload: string | null;
  correlation_id: string | null;
  task_id: string;
  dispatch: number;
  task: Pick<TaskRow, 'domain' | 'action' | 'params' | 'priority' | 'attempts'> | null;
}

/**
 * Publishes the outbox: at once for what this process just committed, and by a periodic
 * sweep for anything older that is still there. A message is deleted only after the
 * stream acknowledged it, so a crash between commit and publish loses nothing; publishing
 * twice is harmless because the message id makes the stream drop the repeat.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly waiting: OutboxMessage[] = [];
  /** Ids published or being published by this process and not yet deleted. */
  private readonly inFlight = new Set<string>();
  private readonly sent: MicroBatcher<string, undefined>;
  private publishing = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: PipelinedPublisher,
    private readonly settings: OutboxRelaySettings = DEFAULT_OUTBOX_RELAY_SETTINGS,
  ) {
    this.sent = new MicroBatcher({
      maxBatch: 2000,
      maxConcurrentFlushes: 1,
      flush: async (ids) => {
        try {
          await this.markSent(ids);
        } catch (error) {
          this.logger.warn(
            { err: error },
            'Marking published messages failed; they will be published again',
          );
        } finally {
          for (const id of ids) this.inFlight.delete(id);
        }
        return ids.map(() => undefined);
      },
    });
  }

  start(): void {
    this.stopped = false;
    this.publisher.start();
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, this.settings.sweepIntervalMs);
  }

  /** Lets started publishes finish and records them; what is left waits for the next sweep. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    this.waiting.length = 0;
    while (this.publishing > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.sent.drain();
    this.publisher.stop();
  }

  /** Hands over messages that were just committed. */
  relay(messages: OutboxMessage[]): void {
    if (this.stopped) return;
    for (const message of messages) {
      if (this.inFlight.has(message.id)) continue;
      this.inFlight.add(message.id);
      this.waiting.push(message);
    }
    this.pump();
  }

  /** Publishes whatever is in the outbox and older than the sweep age. */
  async sweep(): Promise<number> {
    let found = 0;
    for (let afterId = '0'; ;) {
      const rows: OutboxRow[] = await this.dataSource.query(
        `SELECT o.id::text, o.kind, o.subject, o.msg_id, o.payload, o.correlation_id, o.task_id,
           o.dispatch, CASE WHEN t.id IS NOT NULL THEN json_build_object('domain', t.domain,
             'action', t.action, 'params', t.params, 'priority', t.priority, 'attempts', t.attempts)
             END AS task
         FROM "orchestrator"."task_outbox" o
         LEFT JOIN "orchestrator"."tasks" t ON o.payload IS NULL AND t.id = o.task_id
         WHERE o.id > $1::bigint AND o.created_at < now() - make_interval(secs => $2 / 1000.0)
         ORDER BY o.id LIMIT $3`,
        [afterId, this.settings.sweepAgeMs, SWEEP_BATCH],
      );
      const fresh = rows.filter((row) => !this.inFlight.has(row.id));
      const messages = fresh.flatMap((row) => messageOf(row) ?? []);
      found += messages.length;
      this.relay(messages);
      if (rows.length < SWEEP_BATCH || this.stopped) return found;
      afterId = rows[rows.length - 1].id;
    }
  }

  private pump(): void {
    while (this.publishing < this.settings.maxInFlight && this.waiting.length > 0) {
      const message = this.waiting.shift() as OutboxMessage;
      this.publishing += 1;
      this.publisher.send(
        message.subject,
        encoder.encode(message.payload),
        { messageId: message.msgId, correlationId: message.correlationId },
        (error) => this.published(message, error),
      );
    }
  }

  private published(message: OutboxMessage, error: Error | undefined): void {
    this.publishing -= 1;
    if (error) {
      // Left in the outbox: the sweep publishes it again once it is old enough.
      this.inFlight.delete(message.id);
      this.logger.warn(
        { err: error, msgId: message.msgId },
        'Publish failed; the sweep will retry',
      );
    } else {
      this.sent.push(message.id);
    }
    this.pump();
  }

  /** Deletes messages the stream acknowledged; their tasks stop showing as pending. */
  private async markSent(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "orchestrator"."task_outbox" WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }
}

/** The row's message; undefined for a task's message whose task is gone. */
function messageOf(row: OutboxRow): OutboxMessage | undefined {
  const payload =
    row.payload ??
    (row.task &&
      JSON.stringify(
        taskMessageOf(
          { id: row.task_id, ...row.task, correlationId: row.correlation_id },
          row.dispatch,
          row.task.attempts,
        ),
      ));
  if (payload === null) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    msgId: row.msg_id,
    payload,
    correlationId: row.correlation_id,
    taskId: row.task_id,
    dispatch: row.dispatch,
  };
}
