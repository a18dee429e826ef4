import { Logger } from '@nestjs/common';
import { NatsError } from 'nats';
import { TASKS_STREAM, taskQueueSubject } from '@jarvis/contracts';
import { JetStreamService } from '@jarvis/messaging';
import { LedgerStore, StaleCursor } from '../ledger/ledger.store';
import { TaskLedgerService } from '../ledger/task-ledger.service';

export interface QueueReconcilerSettings {
  intervalMs: number;
  /** A queued or running task untouched this long has its queue message looked up. */
  staleAfterMs: number;
}

const CHECKS_PER_ROUND = 100;
const NO_MESSAGE_FOUND = 10037;

/**
 * Finds unfinished tasks whose queue message is gone (a broker that lost acknowledged
 * writes in a crash) and queues them again. It walks the unfinished tasks oldest first,
 * a page per round, and asks the stream for the last message on each task's subject:
 * a task whose message is still there is only waiting.
 */
export class QueueReconciler {
  private readonly logger = new Logger(QueueReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private cursor: StaleCursor | undefined;

  constructor(
    private readonly store: LedgerStore,
    private readonly ledger: TaskLedgerService,
    private readonly jetStream: JetStreamService,
    private readonly settings: QueueReconcilerSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.round ??= this.reconcile()
        .then((requeued) => {
          if (requeued > 0)
            this.logger.warn({ requeued }, 'Queued again tasks whose message was lost');
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Reconciling the queue failed'))
        .finally(() => (this.round = undefined));
    }, this.settings.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round; answers how many tasks went back on the queue. */
  async reconcile(): Promise<number> {
    const page = await this.store.unfinishedAfter(
      this.cursor,
      this.settings.staleAfterMs,
      CHECKS_PER_ROUND,
    );
    this.cursor = page.length === CHECKS_PER_ROUND ? page[page.length - 1].cursor : undefined;
    if (page.length === 0) return 0;
    const jsm = await this.jetStream.jsm();
    const stream = this.jetStream.streamName(TASKS_STREAM.name);
    let requeued = 0;
    for (const task of page) {
      const subject = this.jetStream.subject(taskQueueSubject(task.priority, task.domain, task.id));
      try {
        await jsm.streams.getMessage(stream, { last_by_subj: subject });
        continue;
      } catch (error) {
        if (!(error instanceof NatsError && error.api_error?.err_code === NO_MESSAGE_FOUND))
          throw error;
      }
      if (await this.ledger.requeueLost(task.id, task.dispatch)) requeued += 1;
    }
    return requeued;
  }
}
