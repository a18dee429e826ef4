import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ensureTaskStreams } from '@jarvis/agent-sdk';
import { JetStreamService } from '@jarvis/messaging';
import { DeadLetterAdvisories } from './dead-letter-advisories';
import { OutboxRelay } from './outbox-relay';
import { QueueReconciler } from './queue-reconciler';

/** Creates the streams and runs the relay, the reconciler and the dead-letter advisories. */
@Injectable()
export class TaskQueueLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly jetStream: JetStreamService,
    private readonly relay: OutboxRelay,
    private readonly reconciler: QueueReconciler,
    private readonly deadLetters: DeadLetterAdvisories,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureTaskStreams(this.jetStream);
    this.relay.start();
    this.reconciler.start();
    await this.deadLetters.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.deadLetters.stop();
    await this.reconciler.stop();
    await this.relay.stop();
  }
}
